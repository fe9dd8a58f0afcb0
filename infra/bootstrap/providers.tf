provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "mycandidate"
      ManagedBy = "terraform"
      Source    = "infra/bootstrap"
    }
  }
}
