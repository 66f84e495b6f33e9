-- Versions are compared by their columns (src/db/stage-snapshot.ts), not by a stored hash of
-- their values: content_hash goes. Stored versions keep every other column as they were.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_pharmacy" (
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
    "itu" BOOLEAN
);
INSERT INTO "new_pharmacy" ("accreditation_expires", "accreditations", "address", "after_hours_phone", "city", "counties_served", "county_fips", "delivers_within_24h", "id", "import_id", "itu", "name", "ncpdp_id", "npi", "open_24x7", "phone", "provides_nursing", "provides_supplies", "service_type", "state", "sterile_compounding", "taxonomy_codes", "usp797_category", "valid_from", "valid_to", "zip") SELECT "accreditation_expires", "accreditations", "address", "after_hours_phone", "city", "counties_served", "county_fips", "delivers_within_24h", "id", "import_id", "itu", "name", "ncpdp_id", "npi", "open_24x7", "phone", "provides_nursing", "provides_supplies", "service_type", "state", "sterile_compounding", "taxonomy_codes", "usp797_category", "valid_from", "valid_to", "zip" FROM "pharmacy";
DROP TABLE "pharmacy";
ALTER TABLE "new_pharmacy" RENAME TO "pharmacy";
CREATE INDEX "pharmacy_valid_to_npi_idx" ON "pharmacy"("valid_to", "npi");
CREATE UNIQUE INDEX "pharmacy_npi_valid_from_key" ON "pharmacy"("npi", "valid_from");
CREATE TABLE "new_plan" (
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
    "directions_reviewed_on" DATETIME
);
INSERT INTO "new_plan" ("contract_id", "directions_reviewed_on", "hi_access_directions", "id", "import_id", "member_services_phone", "pbp_id", "plan_name", "plan_type", "provider_services_phone", "segment_id", "valid_from", "valid_to") SELECT "contract_id", "directions_reviewed_on", "hi_access_directions", "id", "import_id", "member_services_phone", "pbp_id", "plan_name", "plan_type", "provider_services_phone", "segment_id", "valid_from", "valid_to" FROM "plan";
DROP TABLE "plan";
ALTER TABLE "new_plan" RENAME TO "plan";
CREATE UNIQUE INDEX "plan_contract_id_pbp_id_segment_id_valid_from_key" ON "plan"("contract_id", "pbp_id", "segment_id", "valid_from");
CREATE TABLE "new_service_area" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "county_fips" TEXT NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_service_area" ("contract_id", "county_fips", "id", "import_id", "pbp_id", "segment_id", "valid_from", "valid_to") SELECT "contract_id", "county_fips", "id", "import_id", "pbp_id", "segment_id", "valid_from", "valid_to" FROM "service_area";
DROP TABLE "service_area";
ALTER TABLE "new_service_area" RENAME TO "service_area";
CREATE INDEX "service_area_valid_to_contract_id_idx" ON "service_area"("valid_to", "contract_id");
CREATE UNIQUE INDEX "service_area_contract_id_pbp_id_segment_id_county_fips_valid_from_key" ON "service_area"("contract_id", "pbp_id", "segment_id", "county_fips", "valid_from");
CREATE TABLE "new_enrollment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "zip" TEXT,
    "county_fips" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_enrollment" ("contract_id", "county_fips", "id", "import_id", "members", "pbp_id", "segment_id", "valid_from", "valid_to", "zip") SELECT "contract_id", "county_fips", "id", "import_id", "members", "pbp_id", "segment_id", "valid_from", "valid_to", "zip" FROM "enrollment";
DROP TABLE "enrollment";
ALTER TABLE "new_enrollment" RENAME TO "enrollment";
CREATE INDEX "enrollment_contract_id_pbp_id_segment_id_zip_county_fips_idx" ON "enrollment"("contract_id", "pbp_id", "segment_id", "zip", "county_fips");
CREATE INDEX "enrollment_valid_to_contract_id_idx" ON "enrollment"("valid_to", "contract_id");
CREATE TABLE "new_network_membership" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "npi" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "effective_date" DATETIME NOT NULL,
    "termination_date" DATETIME,
    "source" TEXT NOT NULL,
    "zip" TEXT,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_network_membership" ("contract_id", "effective_date", "id", "import_id", "npi", "pbp_id", "role", "segment_id", "source", "termination_date", "valid_from", "valid_to", "zip") SELECT "contract_id", "effective_date", "id", "import_id", "npi", "pbp_id", "role", "segment_id", "source", "termination_date", "valid_from", "valid_to", "zip" FROM "network_membership";
DROP TABLE "network_membership";
ALTER TABLE "new_network_membership" RENAME TO "network_membership";
CREATE INDEX "network_membership_role_valid_to_contract_id_idx" ON "network_membership"("role", "valid_to", "contract_id") WHERE role = 'home_infusion';
CREATE TABLE "new_capability" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "npi" TEXT NOT NULL,
    "drug_class" TEXT NOT NULL,
    "usable_form" BOOLEAN NOT NULL,
    "notes" TEXT,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_capability" ("drug_class", "id", "import_id", "notes", "npi", "usable_form", "valid_from", "valid_to") SELECT "drug_class", "id", "import_id", "notes", "npi", "usable_form", "valid_from", "valid_to" FROM "capability";
DROP TABLE "capability";
ALTER TABLE "new_capability" RENAME TO "capability";
CREATE INDEX "capability_npi_drug_class_idx" ON "capability"("npi", "drug_class");
CREATE TABLE "new_assurance" (
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
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_assurance" ("counties", "document_ref", "effective_date", "entity_name", "entity_npi", "entity_type", "expiration_date", "id", "import_id", "npi", "services", "valid_from", "valid_to") SELECT "counties", "document_ref", "effective_date", "entity_name", "entity_npi", "entity_type", "expiration_date", "id", "import_id", "npi", "services", "valid_from", "valid_to" FROM "assurance";
DROP TABLE "assurance";
ALTER TABLE "new_assurance" RENAME TO "assurance";
CREATE INDEX "assurance_npi_idx" ON "assurance"("npi");
CREATE TABLE "new_coverage_request" (
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
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_coverage_request" ("contract_id", "decided_at", "drug_class", "drug_name", "expedited", "id", "import_id", "member_id_masked", "outcome", "pbp_id", "received_at", "request_id", "request_type", "supporting_statement_at", "valid_from", "valid_to") SELECT "contract_id", "decided_at", "drug_class", "drug_name", "expedited", "id", "import_id", "member_id_masked", "outcome", "pbp_id", "received_at", "request_id", "request_type", "supporting_statement_at", "valid_from", "valid_to" FROM "coverage_request";
DROP TABLE "coverage_request";
ALTER TABLE "new_coverage_request" RENAME TO "coverage_request";
CREATE INDEX "coverage_request_request_id_idx" ON "coverage_request"("request_id");
CREATE INDEX "coverage_request_valid_to_contract_id_idx" ON "coverage_request"("valid_to", "contract_id");
CREATE TABLE "new_finding_exception" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rule_id" TEXT NOT NULL,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT,
    "county_fips" TEXT,
    "drug_class" TEXT,
    "npi" TEXT,
    "rationale" TEXT NOT NULL,
    "approved_by" TEXT NOT NULL,
    "approved_on" DATETIME NOT NULL,
    "expires_on" DATETIME NOT NULL,
    "valid_from" DATETIME NOT NULL,
    "valid_to" DATETIME,
    "import_id" INTEGER NOT NULL
);
INSERT INTO "new_finding_exception" ("approved_by", "approved_on", "contract_id", "county_fips", "drug_class", "expires_on", "id", "import_id", "npi", "pbp_id", "rationale", "rule_id", "valid_from", "valid_to") SELECT "approved_by", "approved_on", "contract_id", "county_fips", "drug_class", "expires_on", "id", "import_id", "npi", "pbp_id", "rationale", "rule_id", "valid_from", "valid_to" FROM "finding_exception";
DROP TABLE "finding_exception";
ALTER TABLE "new_finding_exception" RENAME TO "finding_exception";
CREATE INDEX "finding_exception_valid_to_contract_id_idx" ON "finding_exception"("valid_to", "contract_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
