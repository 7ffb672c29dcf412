-- The searchable text of an application moves off its row (decision 0014). The GIN index
-- "Application_search" was an expression index on "Application": every change of state, which
-- PostgreSQL writes as a new row version with new entries in all of the row's indexes (state is
-- indexed, so no HOT update), analysed the registration number, title and description again
-- (up to 10 000 characters: about 0.6 ms for 3 000) and inserted every word into the GIN index.
-- Now the words live in "ApplicationText", written only when that text changes.
-- "Application_state_idx" goes too: "Application_state_queue_order" starts with state and
-- answers the same lookups; one index fewer to write on every change of state.

-- DropIndex
DROP INDEX "Application_state_idx";

-- CreateTable
CREATE TABLE "ApplicationText" (
    "applicationId" UUID NOT NULL,
    "document" tsvector NOT NULL,

    CONSTRAINT "ApplicationText_pkey" PRIMARY KEY ("applicationId")
);

-- AddForeignKey
ALTER TABLE "ApplicationText" ADD CONSTRAINT "ApplicationText_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the words, their index, and the triggers that keep them.
CREATE FUNCTION application_text_document(registration_number text, title text, description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_tsvector('swedish'::regconfig, coalesce(registration_number, '') || ' ' || title || ' ' || description);

CREATE FUNCTION application_text_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ApplicationText" ("applicationId", document)
  VALUES (NEW.id, application_text_document(NEW."registrationNumber", NEW.title, NEW.description))
  ON CONFLICT ("applicationId") DO UPDATE SET document = excluded.document;
  RETURN NULL;
END $$;

CREATE TRIGGER application_text_insert AFTER INSERT ON "Application"
  FOR EACH ROW EXECUTE FUNCTION application_text_keep();
-- Only when the text itself changed: a change of state, snapshot or officer leaves the words alone.
CREATE TRIGGER application_text_update AFTER UPDATE OF "registrationNumber", title, description ON "Application"
  FOR EACH ROW
  WHEN (OLD."registrationNumber" IS DISTINCT FROM NEW."registrationNumber" OR OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
  EXECUTE FUNCTION application_text_keep();

INSERT INTO "ApplicationText" ("applicationId", document)
SELECT a.id, application_text_document(a."registrationNumber", a.title, a.description) FROM "Application" a;

CREATE INDEX "ApplicationText_search" ON "ApplicationText" USING GIN (document);
DROP INDEX "Application_search";
