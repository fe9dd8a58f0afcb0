# State bucket and its KMS key come from infra/bootstrap; S3's native lock
# file replaces a DynamoDB lock table.
terraform {
  backend "s3" {
    bucket       = "mycandidate-terraform-state"
    key          = "envs/prod/terraform.tfstate"
    region       = "af-south-1"
    encrypt      = true
    kms_key_id   = "alias/mycandidate-terraform-state"
    use_lockfile = true
  }
}
