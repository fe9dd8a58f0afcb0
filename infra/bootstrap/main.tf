# Run once per account before the environments, with local state:
#   terraform -chdir=infra/bootstrap init && terraform -chdir=infra/bootstrap apply
# It makes the encrypted, versioned state bucket the env roots' S3 backend
# uses; locking is S3's native lock file (use_lockfile), so no DynamoDB table.
data "aws_caller_identity" "current" {}

locals {
  access_log_bucket = "${var.state_bucket}-access-logs-${data.aws_caller_identity.current.account_id}"
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

  name                               = var.state_bucket
  kms_key_arn                        = module.state_key.arn
  access_log_bucket                  = module.access_logs.id
  noncurrent_version_expiration_days = 365
}
