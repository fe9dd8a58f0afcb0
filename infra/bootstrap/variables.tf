variable "region" {
  description = "Region of the state bucket (the environments' region); af-south-1 must be enabled in the account first (opt-in region)."
  type        = string
  default     = "af-south-1"
}

variable "lookup_region" {
  description = "A region every account has enabled, where the opt-in status of var.region is looked up."
  type        = string
  default     = "us-east-1"
}

variable "state_bucket_prefix" {
  description = "State bucket name before the account id: <prefix>-<account id>, as the env root's backend.tf names it."
  type        = string
  default     = "mycandidate-terraform-state"
}
