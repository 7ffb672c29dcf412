-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrganizationKind" AS ENUM ('county_board', 'government_agency', 'municipality', 'region', 'municipal_federation', 'nonprofit_association', 'foundation', 'other');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('applicant', 'officer', 'decision_maker', 'finance', 'coordinator', 'admin');

-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('approved', 'partly_approved', 'rejected');

-- CreateEnum
CREATE TYPE "DecisionKind" AS ENUM ('original', 'correction', 'reconsideration');

-- CreateEnum
CREATE TYPE "DisbursementTrigger" AS ENUM ('at_start', 'after_interim_report', 'after_final_report');

-- CreateEnum
CREATE TYPE "ReportKind" AS ENUM ('interim', 'final');

-- CreateEnum
CREATE TYPE "ReclaimGround" AS ENUM ('wrong_information', 'paid_wrongly_or_too_much', 'not_used_for_purpose', 'conditions_not_followed', 'no_report');

-- CreateEnum
CREATE TYPE "DocumentDirection" AS ENUM ('incoming', 'outgoing', 'internal');

-- CreateTable
CREATE TABLE "County" (
    "code" CHAR(2) NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL,

    CONSTRAINT "County_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Municipality" (
    "code" CHAR(4) NOT NULL,
    "name" TEXT NOT NULL,
    "countyCode" CHAR(2) NOT NULL,

    CONSTRAINT "Municipality_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganizationKind" NOT NULL,
    "orgNumber" TEXT NOT NULL,
    "countyCode" CHAR(2),
    "municipalityCode" CHAR(4),
    "email" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "issuer" TEXT NOT NULL,
    "fundingReference" TEXT NOT NULL,
    "appropriation" TEXT NOT NULL,
    "appropriationItem" TEXT,
    "appropriationName" TEXT,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "totalOre" BIGINT NOT NULL,
    "allocatedOre" BIGINT NOT NULL DEFAULT 0,
    "responsibleBoardId" UUID NOT NULL,
    "coordinatingBoardId" UUID NOT NULL,
    "reportDueOn" DATE NOT NULL,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" UUID NOT NULL,
    "assignmentId" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "amountOre" BIGINT NOT NULL,
    "committedOre" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Call" (
    "id" UUID NOT NULL,
    "allocationId" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priorities" TEXT NOT NULL DEFAULT '',
    "budgetOre" BIGINT NOT NULL,
    "grantedOre" BIGINT NOT NULL DEFAULT 0,
    "opensAt" TIMESTAMPTZ(3) NOT NULL,
    "closesAt" TIMESTAMPTZ(3) NOT NULL,
    "eligibleKinds" "OrganizationKind"[],
    "cofundingRules" JSONB NOT NULL DEFAULT '{}',
    "maxAmountOre" BIGINT,
    "maxProjectMonths" INTEGER,
    "requiresMultipleCounties" BOOLEAN NOT NULL DEFAULT false,
    "interimReportRequired" BOOLEAN NOT NULL DEFAULT false,
    "interimReportDueOn" DATE,
    "finalReportDueOn" DATE NOT NULL,
    "paymentTerms" JSONB NOT NULL DEFAULT '{}',
    "paymentRequestRequired" BOOLEAN NOT NULL DEFAULT false,
    "paymentRequestDays" INTEGER,
    "secondDecisionMakerAboveOre" BIGINT,
    "appealNotice" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallCriterion" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "weight" INTEGER NOT NULL,

    CONSTRAINT "CallCriterion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallIndicator" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "unit" TEXT NOT NULL,

    CONSTRAINT "CallIndicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistrationCounter" (
    "boardId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RegistrationCounter_pkey" PRIMARY KEY ("boardId","year")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "applicantOrgId" UUID NOT NULL,
    "registrationNumber" TEXT,
    "registrationYear" INTEGER,
    "registrationSeq" INTEGER,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "aims" TEXT NOT NULL DEFAULT '',
    "targetGroup" TEXT NOT NULL DEFAULT '',
    "projectStart" DATE,
    "projectEnd" DATE,
    "countyCodes" TEXT[],
    "requestedOre" BIGINT NOT NULL DEFAULT 0,
    "cofundingOre" BIGINT NOT NULL DEFAULT 0,
    "otherPublicFunding" TEXT NOT NULL DEFAULT '',
    "contactName" TEXT NOT NULL DEFAULT '',
    "contactEmail" TEXT NOT NULL DEFAULT '',
    "contactPhone" TEXT NOT NULL DEFAULT '',
    "signatoryName" TEXT NOT NULL DEFAULT '',
    "signatoryTitle" TEXT NOT NULL DEFAULT '',
    "declaresNoTaxDebts" BOOLEAN NOT NULL DEFAULT false,
    "declaresNotInLiquidation" BOOLEAN NOT NULL DEFAULT false,
    "submittedAt" TIMESTAMPTZ(3),
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetLine" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "amountOre" BIGINT NOT NULL,

    CONSTRAINT "BudgetLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationRevision" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicationRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "applicationId" UUID,
    "reportId" UUID,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "secrecy" BOOLEAN NOT NULL DEFAULT false,
    "uploadedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConflictOfInterest" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "declaredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConflictOfInterest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "officerId" UUID NOT NULL,
    "recommendation" "DecisionOutcome",
    "recommendedOre" BIGINT,
    "summary" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentScore" (
    "assessmentId" UUID NOT NULL,
    "criterionId" UUID NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AssessmentScore_pkey" PRIMARY KEY ("assessmentId","criterionId")
);

-- CreateTable
CREATE TABLE "CompletionRequest" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "message" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CompletionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "kind" "DecisionKind" NOT NULL DEFAULT 'original',
    "supersedesId" UUID,
    "outcome" "DecisionOutcome" NOT NULL,
    "requestedOre" BIGINT NOT NULL,
    "grantedOre" BIGINT NOT NULL,
    "conditions" TEXT NOT NULL DEFAULT '',
    "reasons" TEXT NOT NULL,
    "decidedOn" DATE NOT NULL,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decisionMakerId" UUID NOT NULL,
    "presenterId" UUID NOT NULL,
    "otherParticipants" TEXT[],
    "appealNotice" TEXT NOT NULL,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "decisionId" UUID NOT NULL,
    "amountOre" BIGINT NOT NULL,
    "plannedOre" BIGINT NOT NULL DEFAULT 0,
    "paidOre" BIGINT NOT NULL DEFAULT 0,
    "paymentTerms" JSONB NOT NULL DEFAULT '{}',
    "interimReportDueOn" DATE,
    "finalReportDueOn" DATE NOT NULL,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disbursement" (
    "id" UUID NOT NULL,
    "grantId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "amountOre" BIGINT NOT NULL,
    "trigger" "DisbursementTrigger" NOT NULL,
    "plannedOn" DATE NOT NULL,
    "requestDeadline" DATE,
    "requestedAt" TIMESTAMPTZ(3),
    "bankAccount" TEXT,
    "plannedById" UUID NOT NULL,
    "attestedById" UUID,
    "attestedAt" TIMESTAMPTZ(3),
    "paidOn" DATE,
    "paymentReference" TEXT,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Disbursement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" UUID NOT NULL,
    "grantId" UUID NOT NULL,
    "kind" "ReportKind" NOT NULL,
    "dueOn" DATE NOT NULL,
    "submittedAt" TIMESTAMPTZ(3),
    "usedOre" BIGINT NOT NULL DEFAULT 0,
    "unusedOre" BIGINT NOT NULL DEFAULT 0,
    "activitySummary" TEXT NOT NULL DEFAULT '',
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMPTZ(3),
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportLine" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "budgetLineId" UUID,
    "category" TEXT NOT NULL,
    "usedOre" BIGINT NOT NULL,

    CONSTRAINT "ReportLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportResult" (
    "reportId" UUID NOT NULL,
    "indicatorId" UUID NOT NULL,
    "value" DECIMAL(14,2) NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ReportResult_pkey" PRIMARY KEY ("reportId","indicatorId")
);

-- CreateTable
CREATE TABLE "Reclaim" (
    "id" UUID NOT NULL,
    "grantId" UUID NOT NULL,
    "ground" "ReclaimGround" NOT NULL,
    "amountOre" BIGINT NOT NULL,
    "waivedOre" BIGINT NOT NULL DEFAULT 0,
    "waiverReasons" TEXT,
    "repaidOre" BIGINT NOT NULL DEFAULT 0,
    "reasons" TEXT NOT NULL,
    "dueOn" DATE,
    "paymentReference" TEXT NOT NULL,
    "repaidOn" DATE,
    "proposedById" UUID NOT NULL,
    "decidedById" UUID,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reclaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseDocument" (
    "id" UUID NOT NULL,
    "boardId" UUID NOT NULL,
    "applicationId" UUID,
    "registrationNumber" TEXT NOT NULL,
    "registeredOn" DATE NOT NULL,
    "direction" "DocumentDirection" NOT NULL,
    "counterpart" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "secrecy" BOOLEAN NOT NULL DEFAULT false,
    "secrecyReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "organizationId" UUID,
    "caseType" TEXT NOT NULL,
    "caseId" UUID NOT NULL,
    "eventType" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Municipality_countyCode_idx" ON "Municipality"("countyCode");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_orgNumber_key" ON "Organization"("orgNumber");

-- CreateIndex
CREATE INDEX "Organization_kind_idx" ON "Organization"("kind");

-- CreateIndex
CREATE INDEX "Organization_countyCode_idx" ON "Organization"("countyCode");

-- CreateIndex
CREATE INDEX "Organization_municipalityCode_idx" ON "Organization"("municipalityCode");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_organizationId_role_idx" ON "Membership"("organizationId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_organizationId_role_key" ON "Membership"("userId", "organizationId", "role");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "LoginAttempt_email_createdAt_idx" ON "LoginAttempt"("email", "createdAt");

-- CreateIndex
CREATE INDEX "LoginAttempt_ip_createdAt_idx" ON "LoginAttempt"("ip", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_reference_key" ON "Assignment"("reference");

-- CreateIndex
CREATE INDEX "Assignment_state_idx" ON "Assignment"("state");

-- CreateIndex
CREATE INDEX "Assignment_coordinatingBoardId_idx" ON "Assignment"("coordinatingBoardId");

-- CreateIndex
CREATE INDEX "Assignment_responsibleBoardId_idx" ON "Assignment"("responsibleBoardId");

-- CreateIndex
CREATE INDEX "Allocation_boardId_idx" ON "Allocation"("boardId");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_assignmentId_boardId_key" ON "Allocation"("assignmentId", "boardId");

-- CreateIndex
CREATE INDEX "Call_state_idx" ON "Call"("state");

-- CreateIndex
CREATE INDEX "Call_boardId_state_idx" ON "Call"("boardId", "state");

-- CreateIndex
CREATE INDEX "Call_allocationId_idx" ON "Call"("allocationId");

-- CreateIndex
CREATE UNIQUE INDEX "CallCriterion_callId_position_key" ON "CallCriterion"("callId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "CallIndicator_callId_position_key" ON "CallIndicator"("callId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Application_registrationNumber_key" ON "Application"("registrationNumber");

-- CreateIndex
CREATE INDEX "Application_state_idx" ON "Application"("state");

-- CreateIndex
CREATE INDEX "Application_callId_state_idx" ON "Application"("callId", "state");

-- CreateIndex
CREATE INDEX "Application_boardId_state_idx" ON "Application"("boardId", "state");

-- CreateIndex
CREATE INDEX "Application_applicantOrgId_idx" ON "Application"("applicantOrgId");

-- CreateIndex
CREATE UNIQUE INDEX "Application_boardId_registrationYear_registrationSeq_key" ON "Application"("boardId", "registrationYear", "registrationSeq");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetLine_applicationId_position_key" ON "BudgetLine"("applicationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ApplicationRevision_applicationId_number_key" ON "ApplicationRevision"("applicationId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_storageKey_key" ON "Attachment"("storageKey");

-- CreateIndex
CREATE INDEX "Attachment_applicationId_idx" ON "Attachment"("applicationId");

-- CreateIndex
CREATE INDEX "Attachment_reportId_idx" ON "Attachment"("reportId");

-- CreateIndex
CREATE UNIQUE INDEX "ConflictOfInterest_applicationId_userId_key" ON "ConflictOfInterest"("applicationId", "userId");

-- CreateIndex
CREATE INDEX "Assessment_applicationId_idx" ON "Assessment"("applicationId");

-- CreateIndex
CREATE INDEX "CompletionRequest_applicationId_idx" ON "CompletionRequest"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "Decision_supersedesId_key" ON "Decision"("supersedesId");

-- CreateIndex
CREATE INDEX "Decision_applicationId_idx" ON "Decision"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "Grant_applicationId_key" ON "Grant"("applicationId");

-- CreateIndex
CREATE UNIQUE INDEX "Grant_decisionId_key" ON "Grant"("decisionId");

-- CreateIndex
CREATE INDEX "Grant_state_idx" ON "Grant"("state");

-- CreateIndex
CREATE INDEX "Disbursement_state_idx" ON "Disbursement"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Disbursement_grantId_number_key" ON "Disbursement"("grantId", "number");

-- CreateIndex
CREATE INDEX "Report_state_idx" ON "Report"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Report_grantId_kind_key" ON "Report"("grantId", "kind");

-- CreateIndex
CREATE INDEX "Reclaim_state_idx" ON "Reclaim"("state");

-- CreateIndex
CREATE INDEX "Reclaim_grantId_idx" ON "Reclaim"("grantId");

-- CreateIndex
CREATE INDEX "CaseDocument_applicationId_idx" ON "CaseDocument"("applicationId");

-- CreateIndex
CREATE INDEX "CaseDocument_boardId_registeredOn_idx" ON "CaseDocument"("boardId", "registeredOn");

-- CreateIndex
CREATE INDEX "AuditEvent_caseType_caseId_id_idx" ON "AuditEvent"("caseType", "caseId", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_caseType_caseId_prevHash_key" ON "AuditEvent"("caseType", "caseId", "prevHash");

-- AddForeignKey
ALTER TABLE "Municipality" ADD CONSTRAINT "Municipality_countyCode_fkey" FOREIGN KEY ("countyCode") REFERENCES "County"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_countyCode_fkey" FOREIGN KEY ("countyCode") REFERENCES "County"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_municipalityCode_fkey" FOREIGN KEY ("municipalityCode") REFERENCES "Municipality"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_responsibleBoardId_fkey" FOREIGN KEY ("responsibleBoardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_coordinatingBoardId_fkey" FOREIGN KEY ("coordinatingBoardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallCriterion" ADD CONSTRAINT "CallCriterion_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallIndicator" ADD CONSTRAINT "CallIndicator_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistrationCounter" ADD CONSTRAINT "RegistrationCounter_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_applicantOrgId_fkey" FOREIGN KEY ("applicantOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetLine" ADD CONSTRAINT "BudgetLine_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationRevision" ADD CONSTRAINT "ApplicationRevision_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConflictOfInterest" ADD CONSTRAINT "ConflictOfInterest_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentScore" ADD CONSTRAINT "AssessmentScore_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentScore" ADD CONSTRAINT "AssessmentScore_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "CallCriterion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompletionRequest" ADD CONSTRAINT "CompletionRequest_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Decision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportLine" ADD CONSTRAINT "ReportLine_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportLine" ADD CONSTRAINT "ReportLine_budgetLineId_fkey" FOREIGN KEY ("budgetLineId") REFERENCES "BudgetLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportResult" ADD CONSTRAINT "ReportResult_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportResult" ADD CONSTRAINT "ReportResult_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "CallIndicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reclaim" ADD CONSTRAINT "Reclaim_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseDocument" ADD CONSTRAINT "CaseDocument_boardId_fkey" FOREIGN KEY ("boardId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseDocument" ADD CONSTRAINT "CaseDocument_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Written by hand: rules Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------

-- Identifiers and reference data
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_orgNumber_format" CHECK ("orgNumber" ~ '^[0-9]{6}-[0-9]{4}$');
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_municipality_in_county" CHECK ("municipalityCode" IS NULL OR "countyCode" = substr("municipalityCode", 1, 2));
ALTER TABLE "User" ADD CONSTRAINT "User_email_lowercase" CHECK ("email" = lower("email"));
CREATE UNIQUE INDEX "Organization_one_board_per_county" ON "Organization" ("countyCode") WHERE "kind" = 'county_board';

-- Money never negative, and each level within its parent
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_amounts" CHECK ("totalOre" >= 0 AND "allocatedOre" >= 0 AND "allocatedOre" <= "totalOre");
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_period_order" CHECK ("periodStart" <= "periodEnd");
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_amounts" CHECK ("amountOre" >= 0 AND "committedOre" >= 0 AND "committedOre" <= "amountOre");
ALTER TABLE "Call" ADD CONSTRAINT "Call_amounts" CHECK ("budgetOre" >= 0 AND "grantedOre" >= 0 AND "grantedOre" <= "budgetOre");
ALTER TABLE "Call" ADD CONSTRAINT "Call_max_amount" CHECK ("maxAmountOre" IS NULL OR "maxAmountOre" > 0);
ALTER TABLE "Call" ADD CONSTRAINT "Call_second_decision_maker" CHECK ("secondDecisionMakerAboveOre" IS NULL OR "secondDecisionMakerAboveOre" >= 0);
ALTER TABLE "Call" ADD CONSTRAINT "Call_open_before_close" CHECK ("opensAt" < "closesAt");
ALTER TABLE "Call" ADD CONSTRAINT "Call_report_dates_order" CHECK ("interimReportDueOn" IS NULL OR "interimReportDueOn" <= "finalReportDueOn");
ALTER TABLE "Call" ADD CONSTRAINT "Call_project_months" CHECK ("maxProjectMonths" IS NULL OR "maxProjectMonths" > 0);
ALTER TABLE "Call" ADD CONSTRAINT "Call_payment_request_days" CHECK ("paymentRequestDays" IS NULL OR "paymentRequestDays" > 0);
ALTER TABLE "CallCriterion" ADD CONSTRAINT "CallCriterion_weight" CHECK ("weight" > 0);
ALTER TABLE "Application" ADD CONSTRAINT "Application_amounts" CHECK ("requestedOre" >= 0 AND "cofundingOre" >= 0);
ALTER TABLE "Application" ADD CONSTRAINT "Application_project_period_order" CHECK ("projectStart" IS NULL OR "projectEnd" IS NULL OR "projectStart" <= "projectEnd");
ALTER TABLE "Application" ADD CONSTRAINT "Application_registration_complete" CHECK (("registrationNumber" IS NULL) = ("registrationYear" IS NULL) AND ("registrationYear" IS NULL) = ("registrationSeq" IS NULL) AND ("registrationSeq" IS NULL OR "registrationSeq" > 0));
ALTER TABLE "BudgetLine" ADD CONSTRAINT "BudgetLine_amount" CHECK ("amountOre" >= 0);
ALTER TABLE "AssessmentScore" ADD CONSTRAINT "AssessmentScore_range" CHECK ("score" BETWEEN 0 AND 5);
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_recommended_amount" CHECK ("recommendedOre" IS NULL OR "recommendedOre" >= 0);
ALTER TABLE "RegistrationCounter" ADD CONSTRAINT "RegistrationCounter_seq" CHECK ("lastSeq" >= 0);
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_size" CHECK ("sizeBytes" >= 0);
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_one_owner" CHECK (("applicationId" IS NOT NULL) OR ("reportId" IS NOT NULL));

-- A decision: granted never above requested, and the outcome matches the amount
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_granted_within_requested" CHECK ("grantedOre" >= 0 AND "grantedOre" <= "requestedOre");
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_outcome_matches_amount" CHECK (
  ("outcome" = 'rejected' AND "grantedOre" = 0)
  OR ("outcome" = 'approved' AND "grantedOre" = "requestedOre" AND "grantedOre" > 0)
  OR ("outcome" = 'partly_approved' AND "grantedOre" > 0 AND "grantedOre" < "requestedOre"));
-- Four eyes: the decision maker never decides a case they presented
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_four_eyes" CHECK ("decisionMakerId" <> "presenterId");
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_reasons_given" CHECK (length(btrim("reasons")) > 0);
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_correction_points_back" CHECK (("kind" = 'original') = ("supersedesId" IS NULL));

ALTER TABLE "Grant" ADD CONSTRAINT "Grant_amounts" CHECK ("amountOre" > 0 AND "plannedOre" >= 0 AND "plannedOre" <= "amountOre" AND "paidOre" >= 0 AND "paidOre" <= "plannedOre");
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_report_dates_order" CHECK ("interimReportDueOn" IS NULL OR "interimReportDueOn" <= "finalReportDueOn");
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_amount" CHECK ("amountOre" > 0 AND "number" > 0);
-- Four eyes on payments: the attester is not the planner
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_four_eyes" CHECK ("attestedById" IS NULL OR "attestedById" <> "plannedById");
ALTER TABLE "Disbursement" ADD CONSTRAINT "Disbursement_paid_has_reference" CHECK ("paidOn" IS NULL OR "paymentReference" IS NOT NULL);
ALTER TABLE "Report" ADD CONSTRAINT "Report_amounts" CHECK ("usedOre" >= 0 AND "unusedOre" >= 0);
ALTER TABLE "ReportLine" ADD CONSTRAINT "ReportLine_amount" CHECK ("usedOre" >= 0);
ALTER TABLE "Reclaim" ADD CONSTRAINT "Reclaim_amounts" CHECK ("amountOre" > 0 AND "waivedOre" >= 0 AND "repaidOre" >= 0 AND "waivedOre" + "repaidOre" <= "amountOre");
ALTER TABLE "Reclaim" ADD CONSTRAINT "Reclaim_waiver_has_reasons" CHECK ("waivedOre" = 0 OR length(btrim(coalesce("waiverReasons", ''))) > 0);
ALTER TABLE "Reclaim" ADD CONSTRAINT "Reclaim_reasons_given" CHECK (length(btrim("reasons")) > 0);

-- Full-text search over applications, Swedish configuration
CREATE INDEX "Application_search" ON "Application" USING GIN (to_tsvector('swedish', coalesce("registrationNumber", '') || ' ' || "title" || ' ' || "description"));

-- The audit trail is append-only. Row triggers stop UPDATE and DELETE; TRUNCATE
-- fires only statement-level triggers, hence the second one.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "AuditEvent_no_update_or_delete" BEFORE UPDATE OR DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
