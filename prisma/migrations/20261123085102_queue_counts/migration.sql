-- CreateTable
CREATE TABLE "ApplicationStateTally" (
    "id" BIGSERIAL NOT NULL,
    "boardId" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "ApplicationStateTally_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicantMunicipalityTally" (
    "id" BIGSERIAL NOT NULL,
    "boardId" UUID NOT NULL,
    "municipalityCode" CHAR(4) NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "ApplicantMunicipalityTally_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApplicationStateTally_boardId_idx" ON "ApplicationStateTally"("boardId");

-- CreateIndex
CREATE INDEX "ApplicantMunicipalityTally_boardId_idx" ON "ApplicantMunicipalityTally"("boardId");

-- Hand-written: the work queue's order, so a page of 25 is read off an index instead of sorting every case in scope.
CREATE INDEX "Application_queue_order" ON "Application" ("submittedAt" DESC NULLS LAST, "createdAt" DESC, "id");
CREATE INDEX "Application_state_queue_order" ON "Application" ("state", "submittedAt" DESC NULLS LAST, "createdAt" DESC, "id");

-- Hand-written: the queue's search matches organization names by word through an index
-- (app/cases/search.server.ts repeats this expression exactly).
CREATE INDEX "Organization_search" ON "Organization" USING GIN (to_tsvector('swedish', "name"));

-- Hand-written: the tallies. Every change of an application's state, board, call or applicant
-- appends -1 for what it was and +1 for what it is; nothing is ever updated in place, so
-- concurrent writers never wait on a counter row. Readers sum; compact_case_tallies() folds.
CREATE FUNCTION application_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  muni_changes boolean := TG_OP <> 'UPDATE'
    OR (OLD.state = 'draft') <> (NEW.state = 'draft')
    OR OLD."boardId" <> NEW."boardId"
    OR OLD."applicantOrgId" <> NEW."applicantOrgId";
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "ApplicationStateTally" ("boardId", "callId", "state", "delta") VALUES (OLD."boardId", OLD."callId", OLD."state", -1);
    IF muni_changes AND OLD."state" <> 'draft' THEN
      -- FOR SHARE: a concurrent change of the organization's municipality waits for us, or we for it.
      INSERT INTO "ApplicantMunicipalityTally" ("boardId", "municipalityCode", "delta")
        SELECT OLD."boardId", o."municipalityCode", -1 FROM (SELECT "municipalityCode" FROM "Organization" WHERE id = OLD."applicantOrgId" FOR SHARE) o
         WHERE o."municipalityCode" IS NOT NULL;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "ApplicationStateTally" ("boardId", "callId", "state", "delta") VALUES (NEW."boardId", NEW."callId", NEW."state", 1);
    IF muni_changes AND NEW."state" <> 'draft' THEN
      INSERT INTO "ApplicantMunicipalityTally" ("boardId", "municipalityCode", "delta")
        SELECT NEW."boardId", o."municipalityCode", 1 FROM (SELECT "municipalityCode" FROM "Organization" WHERE id = NEW."applicantOrgId" FOR SHARE) o
         WHERE o."municipalityCode" IS NOT NULL;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Application_tally" AFTER INSERT OR DELETE ON "Application" FOR EACH ROW EXECUTE FUNCTION application_tally();
CREATE TRIGGER "Application_tally_change" AFTER UPDATE OF "state", "boardId", "callId", "applicantOrgId" ON "Application" FOR EACH ROW
  WHEN (OLD."state" IS DISTINCT FROM NEW."state" OR OLD."boardId" IS DISTINCT FROM NEW."boardId" OR OLD."callId" IS DISTINCT FROM NEW."callId" OR OLD."applicantOrgId" IS DISTINCT FROM NEW."applicantOrgId")
  EXECUTE FUNCTION application_tally();

-- An organization that moves to another municipality takes its non-draft applications along.
CREATE FUNCTION organization_municipality_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ApplicantMunicipalityTally" ("boardId", "municipalityCode", "delta")
    SELECT a."boardId", OLD."municipalityCode", -count(*)::int FROM "Application" a
     WHERE a."applicantOrgId" = OLD.id AND a."state" <> 'draft' AND OLD."municipalityCode" IS NOT NULL GROUP BY a."boardId"
    UNION ALL
    SELECT a."boardId", NEW."municipalityCode", count(*)::int FROM "Application" a
     WHERE a."applicantOrgId" = NEW.id AND a."state" <> 'draft' AND NEW."municipalityCode" IS NOT NULL GROUP BY a."boardId";
  RETURN NULL;
END $$;

CREATE TRIGGER "Organization_municipality_tally" AFTER UPDATE OF "municipalityCode" ON "Organization" FOR EACH ROW
  WHEN (OLD."municipalityCode" IS DISTINCT FROM NEW."municipalityCode")
  EXECUTE FUNCTION organization_municipality_tally();

-- Folds the appended rows into one per key (sums kept exactly; zero sums dropped). One
-- statement per table, so a reader sees the rows before or after, never half. Concurrent
-- writers keep appending; a second caller at the same time does nothing.
CREATE FUNCTION compact_case_tallies() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('compact_case_tallies')) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM "ApplicationStateTally" RETURNING "boardId", "callId", "state", "delta")
  INSERT INTO "ApplicationStateTally" ("boardId", "callId", "state", "delta")
    SELECT "boardId", "callId", "state", sum("delta")::int FROM gone GROUP BY 1, 2, 3 HAVING sum("delta") <> 0;
  WITH gone AS (DELETE FROM "ApplicantMunicipalityTally" RETURNING "boardId", "municipalityCode", "delta")
  INSERT INTO "ApplicantMunicipalityTally" ("boardId", "municipalityCode", "delta")
    SELECT "boardId", "municipalityCode", sum("delta")::int FROM gone GROUP BY 1, 2 HAVING sum("delta") <> 0;
END $$;

-- Recounts both tallies from the cases themselves: for bulk loads written with triggers off
-- (test/bench/dataset.ts), and to fill them here for the cases that already exist.
CREATE FUNCTION rebuild_case_tallies() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('compact_case_tallies'));
  LOCK TABLE "Application" IN SHARE MODE;
  DELETE FROM "ApplicationStateTally";
  INSERT INTO "ApplicationStateTally" ("boardId", "callId", "state", "delta")
    SELECT "boardId", "callId", "state", count(*)::int FROM "Application" GROUP BY 1, 2, 3;
  DELETE FROM "ApplicantMunicipalityTally";
  INSERT INTO "ApplicantMunicipalityTally" ("boardId", "municipalityCode", "delta")
    SELECT a."boardId", o."municipalityCode", count(*)::int FROM "Application" a JOIN "Organization" o ON o.id = a."applicantOrgId"
     WHERE a."state" <> 'draft' AND o."municipalityCode" IS NOT NULL GROUP BY 1, 2;
END $$;

SELECT rebuild_case_tallies();
