data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  arn_prefix = "arn:${data.aws_partition.current.partition}"
  issuer     = "token.actions.githubusercontent.com"
  # Only jobs of the GitHub environment: its protection rules (required
  # reviewers on production) cannot be skipped by any other job of the repo.
  subject      = "repo:${var.repository}:environment:${var.environment}"
  provider_arn = var.create_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  ecs        = "${local.arn_prefix}:ecs:${local.region}:${local.account}"
  cluster    = "${local.ecs}:cluster/${var.cluster_name}"
  families   = [for f in var.task_families : "${local.ecs}:task-definition/${f}:*"]
  tasks      = "${local.ecs}:task/${var.cluster_name}/*"
  codedeploy = "${local.arn_prefix}:codedeploy:${local.region}:${local.account}"

  # Every action opsctl calls (push, deploy, continue, status, rollback,
  # run-task), grouped by the resources it is scoped to; the policy below is
  # built from this one list. Nothing here reads Terraform state: opsctl reads
  # the deploy settings from the SSM parameter.
  deploy_actions = {
    ecr_login = ["ecr:GetAuthorizationToken"]
    ecr_repository = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    ecs_task_definitions = [
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    ecs_service       = ["ecs:DescribeServices", "ecs:UpdateService"]
    ecs_run_task      = ["ecs:RunTask"]
    ecs_tasks         = ["ecs:DescribeTasks", "ecs:StopTask"]
    ecs_tag_on_create = ["ecs:TagResource"]
    iam_pass_role     = ["iam:PassRole"]
    codedeploy = [
      "codedeploy:BatchGetDeployments",
      "codedeploy:ContinueDeployment",
      "codedeploy:CreateDeployment",
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentConfig",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:GetDeploymentTarget",
      "codedeploy:ListDeploymentTargets",
      "codedeploy:ListDeployments",
      "codedeploy:RegisterApplicationRevision",
      "codedeploy:StopDeployment",
    ]
    elb_describe = [
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetHealth",
    ]
    ecr_promotion_source = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    logs_read                 = ["logs:GetLogEvents"]
    autoscaling_describe      = ["application-autoscaling:DescribeScalableTargets"]
    autoscaling_register      = ["application-autoscaling:RegisterScalableTarget"]
    ssm_read_deploy_parameter = ["ssm:GetParameter"]
  }
  # What the policy grants: all of it, but RegisterScalableTarget only where
  # the service has a scalable target, and promotion pulls only where images
  # are promoted from another account.
  optional_groups = {
    autoscaling_register = var.scalable_target_arn != null
    ecr_promotion_source = length(var.promotion_source_repository_arns) > 0
  }
  granted_actions = {
    for group, actions in local.deploy_actions : group => actions
    if lookup(local.optional_groups, group, true)
  }
}

# ---------------------------------------------------------------- identity provider
# Workflows exchange their OIDC token for short-lived credentials; no access
# keys exist anywhere. One provider per account: the root that owns it creates
# it, any other root in the same account looks it up.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 1 : 0

  url            = "https://${local.issuer}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_provider ? 0 : 1

  url = "https://${local.issuer}"
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
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [local.subject]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "Assumed by GitHub Actions jobs of ${var.repository} in the ${var.environment} environment to release the app"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_seconds
}

# ---------------------------------------------------------------- permissions
data "aws_iam_policy_document" "deploy" {
  #checkov:skip=CKV_AWS_356:Only actions without resource-level permissions use "*": ecr:GetAuthorizationToken, ecs Describe/List/RegisterTaskDefinition, the elasticloadbalancing Describe calls and application-autoscaling:DescribeScalableTargets.
  #checkov:skip=CKV_AWS_111:The only unscoped write is ecs:RegisterTaskDefinition, which has no resource-level permissions; PassRole limits which roles a new revision can name.
  statement {
    sid       = "EcrLogin"
    actions   = local.deploy_actions.ecr_login
    resources = ["*"] # no resource-level permissions
  }

  statement {
    sid       = "PushAndReadImages"
    actions   = local.deploy_actions.ecr_repository
    resources = [var.ecr_repository_arn]
  }

  # `opsctl promote` pulls the tested digest from the other account's
  # repository (whose policy grants this role).
  dynamic "statement" {
    for_each = local.optional_groups.ecr_promotion_source ? [1] : []

    content {
      sid       = "PullPromotedImages"
      actions   = local.deploy_actions.ecr_promotion_source
      resources = var.promotion_source_repository_arns
    }
  }

  statement {
    sid       = "TaskDefinitions"
    actions   = local.deploy_actions.ecs_task_definitions
    resources = ["*"] # no resource-level permissions
  }

  statement {
    sid       = "Service"
    actions   = local.deploy_actions.ecs_service
    resources = ["${local.ecs}:service/${var.cluster_name}/${var.service_name}"]
  }

  statement {
    sid       = "RunOneOffTasks"
    actions   = local.deploy_actions.ecs_run_task
    resources = local.families

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.cluster]
    }
  }

  statement {
    sid       = "WatchAndStopTasks"
    actions   = local.deploy_actions.ecs_tasks
    resources = [local.tasks]
  }

  # ECS tags what RegisterTaskDefinition and RunTask create (propagated tags):
  # allowed only as part of those calls.
  statement {
    sid       = "TagOnCreate"
    actions   = local.deploy_actions.ecs_tag_on_create
    resources = concat(local.families, [local.tasks])

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition", "RunTask"]
    }
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = local.deploy_actions.iam_pass_role
    resources = var.pass_role_arns

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid     = "Release"
    actions = local.deploy_actions.codedeploy
    resources = [
      "${local.codedeploy}:application:${var.codedeploy_app_name}",
      "${local.codedeploy}:deploymentgroup:${var.codedeploy_app_name}/${var.codedeploy_group_name}",
      "${local.codedeploy}:deploymentconfig:CodeDeployDefault.ECS*",
    ]
  }

  statement {
    sid       = "DescribeLoadBalancing"
    actions   = local.deploy_actions.elb_describe
    resources = ["*"] # Describe calls have no resource-level permissions
  }

  statement {
    sid       = "ReadTaskLogs"
    actions   = local.deploy_actions.logs_read
    resources = [var.log_group_arn, "${var.log_group_arn}:log-stream:*"]
  }

  statement {
    sid       = "DescribeScaling"
    actions   = local.deploy_actions.autoscaling_describe
    resources = ["*"] # no resource-level permissions
  }

  dynamic "statement" {
    for_each = local.optional_groups.autoscaling_register ? [var.scalable_target_arn] : []

    content {
      sid       = "RaiseScalingOnFirstRelease"
      actions   = local.deploy_actions.autoscaling_register
      resources = [statement.value]
    }
  }

  statement {
    sid       = "ReadDeploySettings"
    actions   = local.deploy_actions.ssm_read_deploy_parameter
    resources = [var.deploy_parameter_arn]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "release"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
