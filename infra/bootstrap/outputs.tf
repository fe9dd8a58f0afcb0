output "state_bucket" {
  description = "State bucket named in the env roots' backend.tf."
  value       = module.state.id
}

output "state_kms_key_alias" {
  description = "KMS key alias named in the env roots' backend.tf."
  value       = module.state_key.alias
}
