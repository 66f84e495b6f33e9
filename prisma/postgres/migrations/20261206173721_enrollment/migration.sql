-- CreateTable
CREATE TABLE "enrollment" (
    "id" SERIAL NOT NULL,
    "contract_id" TEXT NOT NULL,
    "pbp_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "zip" TEXT,
    "county_fips" TEXT NOT NULL,
    "members" INTEGER NOT NULL,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3),
    "import_id" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,

    CONSTRAINT "enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "enrollment_contract_id_pbp_id_segment_id_zip_county_fips_idx" ON "enrollment"("contract_id", "pbp_id", "segment_id", "zip", "county_fips");

-- CreateIndex
CREATE INDEX "enrollment_valid_to_contract_id_idx" ON "enrollment"("valid_to", "contract_id");
