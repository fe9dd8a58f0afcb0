variable "region" {
  description = "Region of the state bucket (the environments' region)."
  type        = string
  default     = "af-south-1"
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket the env roots' backend.tf names."
  type        = string
  default     = "mycandidate-terraform-state"
}
