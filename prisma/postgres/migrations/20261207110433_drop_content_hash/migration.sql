-- Versions are compared by their columns (src/db/stage-snapshot.ts), not by a stored hash of
-- their values: content_hash goes. Stored versions keep every other column as they were.

-- AlterTable
ALTER TABLE "pharmacy" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "plan" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "service_area" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "enrollment" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "network_membership" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "capability" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "assurance" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "coverage_request" DROP COLUMN "content_hash";

-- AlterTable
ALTER TABLE "finding_exception" DROP COLUMN "content_hash";
