-- AlterTable
ALTER TABLE "pharmacy" ADD COLUMN     "itu" BOOLEAN;
