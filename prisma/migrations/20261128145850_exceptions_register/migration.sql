-- CreateTable
CREATE TABLE "finding_exception" (
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
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_finding" (
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
    "excepted" BOOLEAN NOT NULL DEFAULT false,
    "exception" TEXT,
    CONSTRAINT "finding_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "audit_run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_finding" ("contract_id", "county_fips", "drug_class", "evidence", "first_seen", "id", "key", "message", "message_id", "npi", "pbp_id", "request_id", "rule_id", "run_id", "segment_id", "severity", "status") SELECT "contract_id", "county_fips", "drug_class", "evidence", "first_seen", "id", "key", "message", "message_id", "npi", "pbp_id", "request_id", "rule_id", "run_id", "segment_id", "severity", "status" FROM "finding";
DROP TABLE "finding";
ALTER TABLE "new_finding" RENAME TO "finding";
CREATE INDEX "finding_run_id_key_idx" ON "finding"("run_id", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "finding_exception_valid_to_contract_id_idx" ON "finding_exception"("valid_to", "contract_id");
