# Every call goes to the emulator, with the checks that need real AWS off.
# No default_tags: moto has no tagging API for Application Auto Scaling.
provider "aws" {
  region                      = "af-south-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    acm            = var.endpoint_url
    appautoscaling = var.endpoint_url
    cloudwatch     = var.endpoint_url
    codedeploy     = var.endpoint_url
    ec2            = var.endpoint_url
    ecr            = var.endpoint_url
    ecs            = var.endpoint_url
    elasticache    = var.endpoint_url
    elbv2          = var.endpoint_url
    iam            = var.endpoint_url
    kms            = var.endpoint_url
    logs           = var.endpoint_url
    rds            = var.endpoint_url
    route53        = var.endpoint_url
    s3             = var.endpoint_url
    secretsmanager = var.endpoint_url
    sns            = var.endpoint_url
    ssm            = var.endpoint_url
    sts            = var.endpoint_url
    wafv2          = var.endpoint_url
  }
}
