-- AlterTable
ALTER TABLE "finding" ADD COLUMN     "excepted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "exception" TEXT;

-- CreateTable
CREATE TABLE "finding_exception" (
    "id" SERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT,
    "county_fips" TEXT,
    "drug_class" TEXT,
    "npi" TEXT,
    "rationale" TEXT NOT NULL,
    "approved_by" TEXT NOT NULL,
    "approved_on" TIMESTAMP(3) NOT NULL,
    "expires_on" TIMESTAMP(3) NOT NULL,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3),
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,

    CONSTRAINT "finding_exception_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "finding_exception_valid_to_contract_id_idx" ON "finding_exception"("valid_to", "contract_id");
