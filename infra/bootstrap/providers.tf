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

# Only reads the account's region list (see main.tf).
provider "aws" {
  alias  = "lookup"
  region = var.lookup_region
}
