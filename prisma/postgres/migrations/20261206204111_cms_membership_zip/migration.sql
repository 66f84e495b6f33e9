-- AlterTable
ALTER TABLE "network_membership" ADD COLUMN     "zip" TEXT;

-- A CMS network file imported before this column has memberships without their ZIP: it is no
-- longer the snapshot in force as the tool stores it, so the next import of the same bytes reads
-- it again (src/import/import-rosters.ts snapshotInForce) instead of skipping it as unchanged.
UPDATE "roster_import" SET "message" = 'stored without PHARMACY_ZIPCODE: read again' WHERE "kind" = 'cms_network' AND "status" = 'completed';
