output "state_bucket" {
  description = "State bucket of this account, to name in the env root's backend.tf."
  value       = module.state.id
}

output "state_kms_key_alias" {
  description = "KMS key alias named in the env roots' backend.tf."
  value       = module.state_key.alias
}

output "account_id" {
  description = "Account the bucket was made in (the env root's allowed_account_ids)."
  value       = local.account_id
}
