data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  arn_prefix = "arn:${data.aws_partition.current.partition}"
  issuer     = "token.actions.githubusercontent.com"
  subjects = concat(
    ["repo:${var.repository}:ref:refs/heads/main"],
    [for e in var.environments : "repo:${var.repository}:environment:${e}"],
  )
  provider_arn = var.create_provider ? aws_iam_openid_connect_provider.github[0].arn : "${local.arn_prefix}:iam::${local.account}:oidc-provider/${local.issuer}"
}

# ---------------------------------------------------------------- identity provider
# Workflows exchange their OIDC token for short-lived credentials; no access
# keys exist anywhere.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "${local.issuer}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "Assumed by GitHub Actions of ${var.repository} to release the app"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
}

# ---------------------------------------------------------------- permissions
# Exactly what opsctl deploy does: push the image, register a task definition,
# run the migration task, start and watch a CodeDeploy release, read outputs.
data "aws_iam_policy_document" "deploy" {
  #checkov:skip=CKV_AWS_356:ecr:GetAuthorizationToken and ecs:Register/DescribeTaskDefinition have no resource-level permissions; kms:Decrypt is limited by service and encryption context instead.
  #checkov:skip=CKV_AWS_111:The only unscoped write is ecs:RegisterTaskDefinition, which has no resource-level permissions; PassRole limits what it can reference.
  statement {
    sid = "Unscopable"
    actions = [
      "ecr:GetAuthorizationToken",
      "ecs:RegisterTaskDefinition",
      "ecs:DescribeTaskDefinition",
    ]
    resources = ["*"]
  }

  statement {
    sid = "PushImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImageScanFindings",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid     = "RunAndWatchTasks"
    actions = ["ecs:RunTask", "ecs:DescribeTasks", "ecs:DescribeServices"]
    resources = [
      "${local.arn_prefix}:ecs:${local.region}:${local.account}:task-definition/${var.task_family}:*",
      "${local.arn_prefix}:ecs:${local.region}:${local.account}:task/${var.cluster_name}/*",
      "${local.arn_prefix}:ecs:${local.region}:${local.account}:service/${var.cluster_name}/${var.service_name}",
    ]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid = "Release"
    actions = [
      "codedeploy:CreateDeployment",
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentConfig",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:RegisterApplicationRevision",
      "codedeploy:StopDeployment",
    ]
    resources = [
      "${local.arn_prefix}:codedeploy:${local.region}:${local.account}:application:${var.codedeploy_app_name}",
      "${local.arn_prefix}:codedeploy:${local.region}:${local.account}:deploymentgroup:${var.codedeploy_app_name}/${var.codedeploy_group_name}",
      "${local.arn_prefix}:codedeploy:${local.region}:${local.account}:deploymentconfig:*",
    ]
  }

  statement {
    sid       = "ReadTaskLogs"
    actions   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
    resources = ["${var.log_group_arn}:*"]
  }

  statement {
    sid       = "ReadStateOutputs"
    actions   = ["s3:GetObject"]
    resources = ["${local.arn_prefix}:s3:::${var.state_bucket}/${var.state_key}"]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = ["${local.arn_prefix}:s3:::${var.state_bucket}"]
  }

  # The state key is found by its use, not its ARN: only S3 decrypting this
  # bucket's objects may use it on the role's behalf.
  statement {
    sid       = "DecryptState"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = ["${local.arn_prefix}:s3:::${var.state_bucket}"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "release"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
