# The state bucket and its KMS key come from infra/bootstrap, run once in this
# environment's account; the bucket name ends with that account's id. S3's
# native lock file replaces a DynamoDB lock table.
terraform {
  backend "s3" {
    bucket       = "mycandidate-terraform-state-222222222222"
    key          = "envs/prod/terraform.tfstate"
    region       = "af-south-1"
    encrypt      = true
    kms_key_id   = "alias/mycandidate-terraform-state"
    use_lockfile = true
  }
}
