-- CreateTable
CREATE TABLE "run_report_part" (
    "run_id" INTEGER NOT NULL,
    "part" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    PRIMARY KEY ("run_id", "part", "seq"),
    CONSTRAINT "run_report_part_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "audit_run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
