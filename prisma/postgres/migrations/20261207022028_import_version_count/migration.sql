-- CreateTable
CREATE TABLE "import_version_count" (
    "id" SERIAL NOT NULL,
    "import_id" INTEGER NOT NULL,
    "table_name" TEXT NOT NULL,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3),
    "rows" INTEGER NOT NULL,

    CONSTRAINT "import_version_count_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_version_count_import_id_idx" ON "import_version_count"("import_id");

-- AddForeignKey
ALTER TABLE "import_version_count" ADD CONSTRAINT "import_version_count_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "roster_import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The versions every import holds, per table, valid_from and valid_to (src/db/runs.ts
-- listImportsInForce sums these), kept from here on by the import that writes them.
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'pharmacy', "valid_from", "valid_to", COUNT(*) FROM "pharmacy"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'plan', "valid_from", "valid_to", COUNT(*) FROM "plan"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'service_area', "valid_from", "valid_to", COUNT(*) FROM "service_area"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'network_membership', "valid_from", "valid_to", COUNT(*) FROM "network_membership"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'capability', "valid_from", "valid_to", COUNT(*) FROM "capability"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'assurance', "valid_from", "valid_to", COUNT(*) FROM "assurance"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'coverage_request', "valid_from", "valid_to", COUNT(*) FROM "coverage_request"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'finding_exception', "valid_from", "valid_to", COUNT(*) FROM "finding_exception"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
INSERT INTO "import_version_count" ("import_id", "table_name", "valid_from", "valid_to", "rows")
SELECT "import_id", 'enrollment', "valid_from", "valid_to", COUNT(*) FROM "enrollment"
 WHERE "import_id" IN (SELECT "id" FROM "roster_import") GROUP BY "import_id", "valid_from", "valid_to";
