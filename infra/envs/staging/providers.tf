locals {
  emulated = var.aws_endpoint_url != null
}

provider "aws" {
  region = var.region

  # Only an emulator run turns these on; against AWS the provider checks
  # credentials and the account as usual.
  skip_credentials_validation = local.emulated
  skip_requesting_account_id  = local.emulated
  skip_metadata_api_check     = local.emulated
  s3_use_path_style           = local.emulated

  dynamic "endpoints" {
    for_each = local.emulated ? [var.aws_endpoint_url] : []

    content {
      acm            = endpoints.value
      appautoscaling = endpoints.value
      cloudwatch     = endpoints.value
      codedeploy     = endpoints.value
      ec2            = endpoints.value
      ecr            = endpoints.value
      ecs            = endpoints.value
      elasticache    = endpoints.value
      elbv2          = endpoints.value
      iam            = endpoints.value
      kms            = endpoints.value
      logs           = endpoints.value
      rds            = endpoints.value
      route53        = endpoints.value
      s3             = endpoints.value
      secretsmanager = endpoints.value
      sns            = endpoints.value
      sts            = endpoints.value
      wafv2          = endpoints.value
    }
  }

  default_tags {
    tags = {
      Project     = "mycandidate"
      Environment = "staging"
      ManagedBy   = "terraform"
      Source      = "infra/envs/staging"
    }
  }
}
