-- DropIndex
DROP INDEX "Application_applicantOrgId_idx";

-- Hand-written: the work queue's search (app/cases/search.server.ts). Cases found through their
-- applicant organization are counted and ordered from this index alone (an index-only scan),
-- without visiting each case's row: it carries every column the queue's filters and order read.
CREATE INDEX "Application_applicant_queue" ON "Application" ("applicantOrgId") INCLUDE ("boardId", "callId", "state", "officerId", "submittedAt", "createdAt", "id");

-- Hand-written: a part of an organization's name ("trygg" in "Föreningen Tryggare Hem") is found
-- through trigrams instead of reading every organization. pg_trgm is a trusted extension: the
-- database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Organization_name_trgm" ON "Organization" USING GIN ("name" gin_trgm_ops);
