-- DropIndex
DROP INDEX "network_membership_role_valid_to_contract_id_idx";

-- DropIndex
DROP INDEX "network_membership_contract_id_pbp_id_segment_id_npi_role_idx";

-- CreateIndex
CREATE INDEX "network_membership_role_valid_to_contract_id_idx" ON "network_membership"("role", "valid_to", "contract_id") WHERE (role = 'home_infusion');
