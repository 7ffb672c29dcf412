-- CreateEnum
CREATE TYPE "RejectionCategory" AS ENUM ('not_eligible', 'outside_priorities', 'low_ranking', 'budget_exhausted', 'incomplete', 'other');

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "importBatchId" UUID,
ADD COLUMN     "officerId" UUID;

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "purpose" TEXT NOT NULL DEFAULT 'other';

-- AlterTable
ALTER TABLE "CompletionRequest" ADD COLUMN     "response" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "rejectionCategory" "RejectionCategory";

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'applicant',
    "tokenHash" TEXT NOT NULL,
    "invitedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessibilityFeedback" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "email" TEXT NOT NULL DEFAULT '',
    "pageUrl" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessibilityFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedFilter" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "list" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedFilter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "importedById" UUID,
    "boardId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExportJob" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "requestedById" UUID,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "rowsTotal" INTEGER,
    "filePath" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ExportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_organizationId_idx" ON "Invitation"("organizationId");

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- CreateIndex
CREATE UNIQUE INDEX "SavedFilter_userId_list_name_key" ON "SavedFilter"("userId", "list", "name");

-- CreateIndex
CREATE INDEX "ExportJob_requestedById_createdAt_idx" ON "ExportJob"("requestedById", "createdAt");

-- CreateIndex
CREATE INDEX "Application_officerId_idx" ON "Application"("officerId");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_importBatchId_fkey" FOREIGN KEY ("importBatchId") REFERENCES "ImportBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written rules.
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_rejection_category_only_without_full_grant" CHECK ("outcome" <> 'approved' OR "rejectionCategory" IS NULL);
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_purpose_known" CHECK ("purpose" IN ('application', 'ledger_extract', 'report', 'payment_request', 'other'));
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_size_positive" CHECK ("sizeBytes" >= 0);
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_email_lowercase" CHECK ("email" = lower("email"));
ALTER TABLE "SavedFilter" ADD CONSTRAINT "SavedFilter_list_known" CHECK ("list" IN ('arenden', 'beslut', 'ekonomi'));
ALTER TABLE "ExportJob" ADD CONSTRAINT "ExportJob_status_known" CHECK ("status" IN ('queued', 'running', 'done', 'failed'));
