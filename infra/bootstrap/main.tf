# Run once in each environment's account (staging and prod have one each),
# with local state, before that environment:
#   terraform -chdir=infra/bootstrap init && terraform -chdir=infra/bootstrap apply
# It makes the encrypted, versioned state bucket the env root's S3 backend
# uses, named after the account so the two accounts never collide; locking is
# S3's native lock file (use_lockfile), so no DynamoDB table.
data "aws_caller_identity" "current" {
  provider = aws.lookup # answers even while var.region is not enabled
}

locals {
  account_id        = data.aws_caller_identity.current.account_id
  state_bucket      = "${var.state_bucket_prefix}-${local.account_id}"
  access_log_bucket = "${var.state_bucket_prefix}-access-logs-${local.account_id}"
}

# ---------------------------------------------------------------- region
# af-south-1 (Cape Town) is an opt-in region: until the account enables it,
# every call there fails with an unhelpful credentials error. The lookup runs
# in a region every account has, and stops the plan with what to do.
data "aws_regions" "enabled" {
  provider = aws.lookup

  all_regions = true

  filter {
    name   = "opt-in-status"
    values = ["opted-in", "opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = contains(self.names, var.region)
      error_message = "${var.region} is not enabled in account ${local.account_id}: it is an opt-in region. Enable it (console: Account > AWS Regions, or `aws account enable-region --region-name ${var.region}`), wait until `aws account get-region-opt-status --region-name ${var.region}` says ENABLED, then apply again."
    }
  }
}

module "state_key" {
  source = "../modules/kms_key"

  name        = "mycandidate-terraform-state"
  description = "Terraform state of MyCandidate"
}

data "aws_iam_policy_document" "access_log_delivery" {
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.access_log_bucket}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# Server access logs of the state bucket: who read or wrote state, and when.
module "access_logs" {
  source = "../modules/bucket"

  name                               = local.access_log_bucket
  policy_documents                   = [data.aws_iam_policy_document.access_log_delivery.json]
  expiration_days                    = 365
  noncurrent_version_expiration_days = 30
}

module "state" {
  source = "../modules/bucket"

  name                               = local.state_bucket
  kms_key_arn                        = module.state_key.arn
  access_log_bucket                  = module.access_logs.name # known at plan: the logging count depends on it
  noncurrent_version_expiration_days = 365
}
