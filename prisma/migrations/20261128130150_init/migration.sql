-- CreateTable
CREATE TABLE "drug_class" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "care_type" TEXT NOT NULL,
    "part_d_required" BOOLEAN NOT NULL,
    "part_b_note" TEXT NOT NULL,
    "example_drugs" TEXT NOT NULL,
    "needs_sterile_compounding" BOOLEAN NOT NULL
);

-- CreateTable
CREATE TABLE "county" (
    "fips" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "pharmacy" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "npi" TEXT NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "ncpdp_id" TEXT,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zip" TEXT NOT NULL,
    "county_fips" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "after_hours_phone" TEXT,
    "service_type" TEXT NOT NULL,
    "taxonomy_codes" TEXT NOT NULL,
    "sterile_compounding" BOOLEAN NOT NULL,
    "usp797_category" INTEGER,
    "provides_nursing" BOOLEAN NOT NULL,
    "provides_supplies" BOOLEAN NOT NULL,
    "delivers_within_24h" BOOLEAN NOT NULL,
    "open_24x7" BOOLEAN NOT NULL,
    "counties_served" TEXT NOT NULL,
    "accreditations" TEXT NOT NULL,
    "accreditation_expires" DATETIME,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "plan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "plan_name" TEXT NOT NULL,
    "plan_type" TEXT NOT NULL,
    "member_services_phone" TEXT NOT NULL,
    "provider_services_phone" TEXT NOT NULL,
    "hi_access_directions" TEXT NOT NULL,
    "directions_reviewed_on" DATETIME,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "service_area" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "county_fips" TEXT NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "network_membership" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "npi" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "effective_date" DATETIME NOT NULL,
    "termination_date" DATETIME,
    "source" TEXT NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "capability" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "npi" TEXT NOT NULL,
    "drug_class" TEXT NOT NULL,
    "usable_form" BOOLEAN NOT NULL,
    "notes" TEXT,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "assurance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "npi" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_npi" TEXT,
    "services" TEXT NOT NULL,
    "counties" TEXT NOT NULL,
    "effective_date" DATETIME NOT NULL,
    "expiration_date" DATETIME,
    "document_ref" TEXT,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "coverage_request" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "request_id" TEXT NOT NULL,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "drug_class" TEXT,
    "drug_name" TEXT,
    "request_type" TEXT NOT NULL,
    "expedited" BOOLEAN NOT NULL,
    "received_at" DATETIME NOT NULL,
    "supporting_statement_at" DATETIME,
    "decided_at" DATETIME,
    "outcome" TEXT,
    "member_id_masked" TEXT,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "roster_import" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "path" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "sheet" TEXT,
    "sha256" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "as_of" DATETIME NOT NULL,
    "rows_read" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "warnings" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "started_at" DATETIME NOT NULL,
    "finished_at" DATETIME,
    "duration_ms" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "rejected_row" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "import_id" INTEGER NOT NULL,
    "row_number" INTEGER NOT NULL,
    "column" TEXT,
    "value" TEXT,
    "reason" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    CONSTRAINT "rejected_row_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "roster_import" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "import_plan" (
    "import_id" INTEGER NOT NULL,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,

    PRIMARY KEY ("import_id", "contract_id", "pbp_id", "segment_id")
);

-- CreateTable
CREATE TABLE "audit_run" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "scope" TEXT NOT NULL,
    "contract_id" TEXT,
    "pbp_id" TEXT,
    "as_of" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "official" BOOLEAN NOT NULL DEFAULT true,
    "verdict" TEXT,
    "policy" TEXT NOT NULL,
    "policy_hash" TEXT NOT NULL,
    "rule_set_version" TEXT NOT NULL,
    "tool_version" TEXT NOT NULL,
    "inputs" TEXT NOT NULL,
    "counts" TEXT NOT NULL,
    "error" TEXT,
    "started_at" DATETIME NOT NULL,
    "finished_at" DATETIME,
    "duration_ms" INTEGER
);

-- CreateTable
CREATE TABLE "finding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "run_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "contract_id" TEXT,
    "pbp_id" TEXT,
    "segment_id" TEXT,
    "county_fips" TEXT,
    "drug_class" TEXT,
    "npi" TEXT,
    "request_id" TEXT,
    "evidence" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "first_seen" DATETIME NOT NULL,
    CONSTRAINT "finding_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "audit_run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "run_lock" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "acquired_at" DATETIME NOT NULL,
    "expires_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "pharmacy_valid_to_npi_idx" ON "pharmacy"("valid_to", "npi");

-- CreateIndex
CREATE UNIQUE INDEX "pharmacy_npi_valid_from_key" ON "pharmacy"("npi", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "plan_contract_id_pbp_id_segment_id_valid_from_key" ON "plan"("contract_id", "pbp_id", "segment_id", "valid_from");

-- CreateIndex
CREATE INDEX "service_area_valid_to_contract_id_idx" ON "service_area"("valid_to", "contract_id");

-- CreateIndex
CREATE UNIQUE INDEX "service_area_contract_id_pbp_id_segment_id_county_fips_valid_from_key" ON "service_area"("contract_id", "pbp_id", "segment_id", "county_fips", "valid_from");

-- CreateIndex
CREATE INDEX "network_membership_role_valid_to_contract_id_idx" ON "network_membership"("role", "valid_to", "contract_id");

-- CreateIndex
CREATE INDEX "network_membership_contract_id_pbp_id_segment_id_npi_role_idx" ON "network_membership"("contract_id", "pbp_id", "segment_id", "npi", "role");

-- CreateIndex
CREATE INDEX "capability_npi_drug_class_idx" ON "capability"("npi", "drug_class");

-- CreateIndex
CREATE INDEX "assurance_npi_idx" ON "assurance"("npi");

-- CreateIndex
CREATE INDEX "coverage_request_request_id_idx" ON "coverage_request"("request_id");

-- CreateIndex
CREATE INDEX "coverage_request_valid_to_contract_id_idx" ON "coverage_request"("valid_to", "contract_id");

-- CreateIndex
CREATE INDEX "roster_import_sha256_sheet_status_idx" ON "roster_import"("sha256", "sheet", "status");

-- CreateIndex
CREATE INDEX "roster_import_kind_as_of_idx" ON "roster_import"("kind", "as_of");

-- CreateIndex
CREATE INDEX "rejected_row_import_id_idx" ON "rejected_row"("import_id");

-- CreateIndex
CREATE INDEX "import_plan_contract_id_pbp_id_segment_id_idx" ON "import_plan"("contract_id", "pbp_id", "segment_id");

-- CreateIndex
CREATE INDEX "audit_run_scope_status_as_of_idx" ON "audit_run"("scope", "status", "as_of");

-- CreateIndex
CREATE INDEX "finding_run_id_key_idx" ON "finding"("run_id", "key");
