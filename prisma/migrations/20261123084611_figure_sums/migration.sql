-- CreateTable
CREATE TABLE "ApplicationFigure" (
    "applicationId" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "kind" "OrganizationKind" NOT NULL,
    "municipalityCode" CHAR(4),
    "finalDueOn" DATE,
    "outcome" "DecisionOutcome",
    "withdrawn" BOOLEAN NOT NULL,
    "inForce" BOOLEAN NOT NULL,
    "finalSubmitted" BOOLEAN NOT NULL,
    "finalApproved" BOOLEAN NOT NULL,
    "requestedOre" BIGINT NOT NULL,
    "decidedOre" BIGINT NOT NULL,
    "paidOre" BIGINT NOT NULL,
    "usedOre" BIGINT NOT NULL,
    "unusedOre" BIGINT NOT NULL,
    "reclaimedOre" BIGINT NOT NULL,
    "repaidOre" BIGINT NOT NULL,

    CONSTRAINT "ApplicationFigure_pkey" PRIMARY KEY ("applicationId")
);

-- CreateTable
CREATE TABLE "FigureSum" (
    "id" BIGSERIAL NOT NULL,
    "callId" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "kind" "OrganizationKind" NOT NULL,
    "municipalityCode" CHAR(4),
    "finalDueOn" DATE,
    "received" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "partlyApproved" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "withdrawn" INTEGER NOT NULL,
    "pending" INTEGER NOT NULL,
    "grants" INTEGER NOT NULL,
    "finalSubmitted" INTEGER NOT NULL,
    "finalApproved" INTEGER NOT NULL,
    "requestedOre" BIGINT NOT NULL,
    "decidedOre" BIGINT NOT NULL,
    "paidOre" BIGINT NOT NULL,
    "usedOre" BIGINT NOT NULL,
    "unusedOre" BIGINT NOT NULL,
    "reclaimedOre" BIGINT NOT NULL,
    "repaidOre" BIGINT NOT NULL,

    CONSTRAINT "FigureSum_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureCall" (
    "callId" UUID NOT NULL,
    "builtAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FigureCall_pkey" PRIMARY KEY ("callId")
);

-- CreateIndex
CREATE INDEX "ApplicationFigure_callId_idx" ON "ApplicationFigure"("callId");

-- CreateIndex
CREATE INDEX "FigureSum_callId_idx" ON "FigureSum"("callId");

-- Hand-written: the figures kept exact by triggers (decision 0009).
--
-- figures_app(app) is the per-application facts of app/reports/figures.server.ts (FACTS) for
-- one application, as an ApplicationFigure row (none for a draft or a missing application).
-- Each of its lookups is one index probe, so a trigger can afford it.
CREATE FUNCTION figures_app(app uuid) RETURNS SETOF "ApplicationFigure" LANGUAGE sql STABLE AS $$
  select a.id, a."callId", a."boardId", o.kind, o."municipalityCode",
         case when g.state <> 'cancelled' and rf."submittedAt" is null then rf."dueOn" end,
         d.outcome,
         a.state = 'withdrawn',
         coalesce(g.state <> 'cancelled', false),
         coalesce(g.state <> 'cancelled' and rf."submittedAt" is not null, false),
         coalesce(g.state <> 'cancelled' and rf.state = 'approved', false),
         a."requestedOre",
         case when g.state <> 'cancelled' then g."amountOre" else 0 end,
         coalesce(g."paidOre", 0),
         case when rf."submittedAt" is not null then rf."usedOre" when ri."submittedAt" is not null then ri."usedOre" else 0 end,
         case when rf."submittedAt" is not null then rf."unusedOre" else 0 end,
         coalesce(rc.reclaimed, 0),
         coalesce(rc.repaid, 0)
    from "Application" a
    join "Organization" o on o.id = a."applicantOrgId"
    left join lateral (
      select d.outcome from "Decision" d
       where d."applicationId" = a.id and not exists (select 1 from "Decision" n where n."supersedesId" = d.id)
       order by d."decidedAt" desc limit 1) d on true
    left join "Grant" g on g."applicationId" = a.id
    left join "Report" rf on rf."grantId" = g.id and rf.kind = 'final'
    left join "Report" ri on ri."grantId" = g.id and ri.kind = 'interim'
    left join lateral (
      select sum(r."amountOre" - r."waivedOre") filter (where r.state in ('decided', 'repaid', 'waived')) as reclaimed, sum(r."repaidOre") as repaid
        from "Reclaim" r where r."grantId" = g.id) rc on true
   where a.id = app and a.state <> 'draft'
$$;

-- One application's contribution to FigureSum, times sign (+1 adds it, -1 takes it away).
CREATE FUNCTION figures_add(f "ApplicationFigure", sign int) RETURNS void LANGUAGE sql AS $$
  insert into "FigureSum" ("callId", "boardId", kind, "municipalityCode", "finalDueOn", received, approved, "partlyApproved", rejected, withdrawn, pending,
                           grants, "finalSubmitted", "finalApproved", "requestedOre", "decidedOre", "paidOre", "usedOre", "unusedOre", "reclaimedOre", "repaidOre")
  values (f."callId", f."boardId", f.kind, f."municipalityCode", f."finalDueOn", sign,
          sign * (f.outcome is not distinct from 'approved')::int, sign * (f.outcome is not distinct from 'partly_approved')::int,
          sign * (f.outcome is not distinct from 'rejected')::int, sign * f.withdrawn::int, sign * (f.outcome is null and not f.withdrawn)::int,
          sign * f."inForce"::int, sign * f."finalSubmitted"::int, sign * f."finalApproved"::int,
          sign * f."requestedOre", sign * f."decidedOre", sign * f."paidOre", sign * f."usedOre", sign * f."unusedOre", sign * f."reclaimedOre", sign * f."repaidOre")
$$;

-- Brings one application's figures up to date: recompute, compare with what is kept, and
-- append the difference. Serialised per application (advisory lock, held to commit), so two
-- transactions touching one case cannot both subtract the same old row.
CREATE FUNCTION figures_refresh(app uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  o "ApplicationFigure";
  n "ApplicationFigure";
  done text := coalesce(current_setting('figures.refreshed', true), '');
BEGIN
  -- The triggers run deferred, at commit, after every change of the transaction: the first
  -- refresh of an application sees its final state, so later ones in the same transaction
  -- are skipped (an approval changes four rows of one case). Past 100 000 characters (a very
  -- large import) every refresh runs, which is slower but as exact.
  IF position(app::text IN done) > 0 THEN
    RETURN;
  END IF;
  IF length(done) < 100000 THEN
    PERFORM set_config('figures.refreshed', done || app::text || ',', true);
  END IF;
  PERFORM pg_advisory_xact_lock(72001, hashtext(app::text));
  SELECT * INTO o FROM "ApplicationFigure" WHERE "applicationId" = app;
  SELECT * INTO n FROM figures_app(app);
  IF o."applicationId" IS NULL AND n."applicationId" IS NULL THEN
    RETURN;
  END IF;
  IF o."applicationId" IS NULL THEN
    -- A case new to the figures: kept only if its call is (see figures_build).
    IF NOT EXISTS (SELECT 1 FROM "FigureCall" WHERE "callId" = n."callId") THEN
      PERFORM pg_advisory_xact_lock_shared(72002, hashtext(n."callId"::text));
      IF NOT EXISTS (SELECT 1 FROM "FigureCall" WHERE "callId" = n."callId") THEN
        RETURN;
      END IF;
      SELECT * INTO o FROM "ApplicationFigure" WHERE "applicationId" = app;
    END IF;
  END IF;
  IF o IS NOT DISTINCT FROM n THEN
    RETURN;
  END IF;
  IF o."applicationId" IS NOT NULL THEN
    PERFORM figures_add(o, -1);
  END IF;
  IF n."applicationId" IS NULL THEN
    DELETE FROM "ApplicationFigure" WHERE "applicationId" = app;
  ELSE
    PERFORM figures_add(n, 1);
    INSERT INTO "ApplicationFigure" SELECT (n).*
      ON CONFLICT ("applicationId") DO UPDATE SET
        "callId" = excluded."callId", "boardId" = excluded."boardId", kind = excluded.kind, "municipalityCode" = excluded."municipalityCode",
        "finalDueOn" = excluded."finalDueOn", outcome = excluded.outcome, withdrawn = excluded.withdrawn, "inForce" = excluded."inForce",
        "finalSubmitted" = excluded."finalSubmitted", "finalApproved" = excluded."finalApproved", "requestedOre" = excluded."requestedOre",
        "decidedOre" = excluded."decidedOre", "paidOre" = excluded."paidOre", "usedOre" = excluded."usedOre", "unusedOre" = excluded."unusedOre",
        "reclaimedOre" = excluded."reclaimedOre", "repaidOre" = excluded."repaidOre";
  END IF;
END $$;

-- Builds the kept figures of one call from scratch, unless they are kept already. Writers that
-- found the call untracked hold a shared lock on it to their commit; this waits for them, so
-- every change is either seen here or (after this commits) applied by its own trigger.
CREATE FUNCTION figures_build(call uuid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72002, hashtext(call::text));
  IF EXISTS (SELECT 1 FROM "FigureCall" WHERE "callId" = call) THEN
    RETURN false;
  END IF;
  DELETE FROM "ApplicationFigure" WHERE "callId" = call;
  DELETE FROM "FigureSum" WHERE "callId" = call;
  INSERT INTO "ApplicationFigure" SELECT f.* FROM "Application" a CROSS JOIN LATERAL figures_app(a.id) f WHERE a."callId" = call;
  INSERT INTO "FigureSum" ("callId", "boardId", kind, "municipalityCode", "finalDueOn", received, approved, "partlyApproved", rejected, withdrawn, pending,
                           grants, "finalSubmitted", "finalApproved", "requestedOre", "decidedOre", "paidOre", "usedOre", "unusedOre", "reclaimedOre", "repaidOre")
  SELECT "callId", "boardId", kind, "municipalityCode", "finalDueOn", count(*),
         count(*) filter (where outcome = 'approved'), count(*) filter (where outcome = 'partly_approved'), count(*) filter (where outcome = 'rejected'),
         count(*) filter (where withdrawn), count(*) filter (where outcome is null and not withdrawn),
         count(*) filter (where "inForce"), count(*) filter (where "finalSubmitted"), count(*) filter (where "finalApproved"),
         sum("requestedOre"), sum("decidedOre"), sum("paidOre"), sum("usedOre"), sum("unusedOre"), sum("reclaimedOre"), sum("repaidOre")
    FROM "ApplicationFigure" WHERE "callId" = call
   GROUP BY "callId", "boardId", kind, "municipalityCode", "finalDueOn";
  INSERT INTO "FigureCall" ("callId") VALUES (call);
  RETURN true;
END $$;

-- Folds a call's FigureSum rows into one per key (dropping keys that sum to nothing). One
-- compactor per call at a time; a busy call is skipped, and readers never wait for it.
CREATE FUNCTION figures_compact(call uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(72003, hashtext(call::text)) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM "FigureSum" WHERE "callId" = call RETURNING *)
  INSERT INTO "FigureSum" ("callId", "boardId", kind, "municipalityCode", "finalDueOn", received, approved, "partlyApproved", rejected, withdrawn, pending,
                           grants, "finalSubmitted", "finalApproved", "requestedOre", "decidedOre", "paidOre", "usedOre", "unusedOre", "reclaimedOre", "repaidOre")
  SELECT "callId", "boardId", kind, "municipalityCode", "finalDueOn", sum(received), sum(approved), sum("partlyApproved"), sum(rejected), sum(withdrawn),
         sum(pending), sum(grants), sum("finalSubmitted"), sum("finalApproved"), sum("requestedOre"), sum("decidedOre"), sum("paidOre"), sum("usedOre"),
         sum("unusedOre"), sum("reclaimedOre"), sum("repaidOre")
    FROM gone
   GROUP BY "callId", "boardId", kind, "municipalityCode", "finalDueOn"
  HAVING sum(received) <> 0 OR sum(approved) <> 0 OR sum("partlyApproved") <> 0 OR sum(rejected) <> 0 OR sum(withdrawn) <> 0 OR sum(pending) <> 0
      OR sum(grants) <> 0 OR sum("finalSubmitted") <> 0 OR sum("finalApproved") <> 0 OR sum("requestedOre") <> 0 OR sum("decidedOre") <> 0
      OR sum("paidOre") <> 0 OR sum("usedOre") <> 0 OR sum("unusedOre") <> 0 OR sum("reclaimedOre") <> 0 OR sum("repaidOre") <> 0;
END $$;

-- The triggers: each change to a row the figures come from refreshes its application, at
-- commit (DEFERRABLE INITIALLY DEFERRED, so a case's several changes cost one refresh; nothing
-- here sets constraints IMMEDIATE). The WHEN clauses skip the frequent updates that change no
-- figure (snapshots, versions, planned totals).
CREATE FUNCTION figures_on_application() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM figures_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END $$;

CREATE FUNCTION figures_on_case_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM figures_refresh(OLD."applicationId");
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."applicationId" IS DISTINCT FROM OLD."applicationId") THEN
    PERFORM figures_refresh(NEW."applicationId");
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION figures_on_grant_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM figures_refresh((SELECT "applicationId" FROM "Grant" WHERE id = OLD."grantId"));
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."grantId" IS DISTINCT FROM OLD."grantId") THEN
    PERFORM figures_refresh((SELECT "applicationId" FROM "Grant" WHERE id = NEW."grantId"));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION figures_on_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM figures_refresh(a.id) FROM "Application" a WHERE a."applicantOrgId" = NEW.id ORDER BY a.id;
  RETURN NULL;
END $$;

CREATE FUNCTION figures_on_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureCall" ("callId") VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER figures_application_insert AFTER INSERT ON "Application" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_application();
CREATE CONSTRAINT TRIGGER figures_application_delete AFTER DELETE ON "Application" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_application();
CREATE CONSTRAINT TRIGGER figures_application_update AFTER UPDATE ON "Application" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.state, OLD."requestedOre", OLD."callId", OLD."boardId", OLD."applicantOrgId") IS DISTINCT FROM (NEW.state, NEW."requestedOre", NEW."callId", NEW."boardId", NEW."applicantOrgId"))
  EXECUTE FUNCTION figures_on_application();

CREATE CONSTRAINT TRIGGER figures_decision AFTER INSERT OR UPDATE OR DELETE ON "Decision" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_case_row();

CREATE CONSTRAINT TRIGGER figures_grant_insert_delete AFTER INSERT OR DELETE ON "Grant" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_case_row();
CREATE CONSTRAINT TRIGGER figures_grant_update AFTER UPDATE ON "Grant" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.state, OLD."amountOre", OLD."paidOre", OLD."applicationId") IS DISTINCT FROM (NEW.state, NEW."amountOre", NEW."paidOre", NEW."applicationId"))
  EXECUTE FUNCTION figures_on_case_row();

CREATE CONSTRAINT TRIGGER figures_report_insert_delete AFTER INSERT OR DELETE ON "Report" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_grant_row();
CREATE CONSTRAINT TRIGGER figures_report_update AFTER UPDATE ON "Report" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.kind, OLD."dueOn", OLD."submittedAt", OLD."usedOre", OLD."unusedOre", OLD.state, OLD."grantId")
        IS DISTINCT FROM (NEW.kind, NEW."dueOn", NEW."submittedAt", NEW."usedOre", NEW."unusedOre", NEW.state, NEW."grantId"))
  EXECUTE FUNCTION figures_on_grant_row();

CREATE CONSTRAINT TRIGGER figures_reclaim_insert_delete AFTER INSERT OR DELETE ON "Reclaim" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_on_grant_row();
CREATE CONSTRAINT TRIGGER figures_reclaim_update AFTER UPDATE ON "Reclaim" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.state, OLD."amountOre", OLD."waivedOre", OLD."repaidOre", OLD."grantId") IS DISTINCT FROM (NEW.state, NEW."amountOre", NEW."waivedOre", NEW."repaidOre", NEW."grantId"))
  EXECUTE FUNCTION figures_on_grant_row();

CREATE CONSTRAINT TRIGGER figures_organization AFTER UPDATE ON "Organization" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.kind, OLD."municipalityCode") IS DISTINCT FROM (NEW.kind, NEW."municipalityCode"))
  EXECUTE FUNCTION figures_on_organization();

CREATE TRIGGER figures_call AFTER INSERT ON "Call" FOR EACH ROW EXECUTE FUNCTION figures_on_call();

-- The calls that exist now are built here, in the migration.
SELECT figures_build(id) FROM "Call" ORDER BY id;
