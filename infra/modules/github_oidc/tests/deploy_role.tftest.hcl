# The deploy role as IAM would get it, checked on the policy documents' inputs
# with a mocked AWS provider (no AWS, no emulator).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_data "aws_region" {
    defaults = { name = "af-south-1" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name                  = "mycandidate-prod"
  repository            = "mycandidate/mycandidate"
  environment           = "production"
  ecr_repository_arn    = "arn:aws:ecr:af-south-1:123456789012:repository/mycandidate-prod"
  cluster_name          = "mycandidate-prod"
  service_name          = "mycandidate-prod"
  task_families         = ["mycandidate-prod", "mycandidate-prod-migrate"]
  pass_role_arns        = ["arn:aws:iam::123456789012:role/mycandidate-prod-task-execution", "arn:aws:iam::123456789012:role/mycandidate-prod-task"]
  codedeploy_app_name   = "mycandidate-prod"
  codedeploy_group_name = "mycandidate-prod"
  log_group_arn         = "arn:aws:logs:af-south-1:123456789012:log-group:/mycandidate-prod/app"
  scalable_target_arn   = "arn:aws:application-autoscaling:af-south-1:123456789012:scalable-target/0123abcd"
  deploy_parameter_arn  = "arn:aws:ssm:af-south-1:123456789012:parameter/mycandidate/prod/deploy"
}

run "only_the_environment_may_assume_the_role" {
  command = plan

  assert {
    condition = jsonencode([
      for c in data.aws_iam_policy_document.trust.statement[0].condition : c.values
      if c.variable == "token.actions.githubusercontent.com:sub"
    ]) == jsonencode([["repo:mycandidate/mycandidate:environment:production"]])
    error_message = "prod trusts only the production environment's subject (no branch subject)"
  }

  assert {
    condition     = alltrue([for c in data.aws_iam_policy_document.trust.statement[0].condition : c.test == "StringEquals"])
    error_message = "subjects match exactly, never by wildcard"
  }

  assert {
    condition     = aws_iam_role.deploy.max_session_duration == 10800
    error_message = "a session outlasts the longest deploy (3 h)"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1
    error_message = "the account's provider is created by default"
  }
}

run "a_second_root_in_the_account_looks_the_provider_up" {
  command = plan

  variables {
    create_provider = false
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && length(data.aws_iam_openid_connect_provider.github) == 1
    error_message = "create_provider = false reads the existing provider"
  }

  assert {
    condition     = jsonencode(data.aws_iam_policy_document.trust.statement[0].principals[*].identifiers) == jsonencode([["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]])
    error_message = "the trust names the looked-up provider"
  }
}

run "the_policy_allows_exactly_what_opsctl_calls" {
  command = plan

  assert {
    condition = output.deploy_actions == sort([
      "application-autoscaling:DescribeScalableTargets",
      "application-autoscaling:RegisterScalableTarget",
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
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetAuthorizationToken",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
      "ecs:DescribeServices",
      "ecs:DescribeTaskDefinition",
      "ecs:DescribeTasks",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
      "ecs:RunTask",
      "ecs:StopTask",
      "ecs:TagResource",
      "ecs:UpdateService",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetHealth",
      "iam:PassRole",
      "logs:GetLogEvents",
      "ssm:GetParameter",
    ])
    error_message = "the action list changed: update opsctl's permission test with it"
  }

  assert {
    condition     = sort(flatten(data.aws_iam_policy_document.deploy.statement[*].actions)) == output.deploy_actions
    error_message = "every statement takes its actions from local.deploy_actions, and all of them are used"
  }

  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.deploy.statement : !anytrue([for a in s.actions : startswith(a, "s3:") || startswith(a, "kms:")])])
    error_message = "the deploy role never reads the state bucket"
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "ReadDeploySettings"]) == toset([
      "arn:aws:ssm:af-south-1:123456789012:parameter/mycandidate/prod/deploy",
    ])
    error_message = "ssm:GetParameter on the deploy parameter only"
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "RunOneOffTasks"]) == toset([
      "arn:aws:ecs:af-south-1:123456789012:task-definition/mycandidate-prod:*",
      "arn:aws:ecs:af-south-1:123456789012:task-definition/mycandidate-prod-migrate:*",
    ])
    error_message = "RunTask only on the environment's two families"
  }

  assert {
    condition = jsonencode(one([for s in data.aws_iam_policy_document.deploy.statement : [for c in s.condition : [c.test, c.variable, sort(c.values)]] if s.sid == "TagOnCreate"])) == jsonencode([
      ["StringEquals", "ecs:CreateAction", ["RegisterTaskDefinition", "RunTask"]],
    ])
    error_message = "ecs:TagResource only while registering a revision or running a task"
  }

  assert {
    condition = jsonencode(one([for s in data.aws_iam_policy_document.deploy.statement : [for c in s.condition : [c.test, c.variable, c.values]] if s.sid == "PassTaskRoles"])) == jsonencode([
      ["StringEquals", "iam:PassedToService", ["ecs-tasks.amazonaws.com"]],
    ])
    error_message = "PassRole only to ECS tasks"
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "RaiseScalingOnFirstRelease"]) == toset([var.scalable_target_arn])
    error_message = "RegisterScalableTarget on the service's scalable target only"
  }
}

run "staging_trusts_only_staging" {
  command = plan

  variables {
    name        = "mycandidate-staging"
    environment = "staging"
  }

  assert {
    condition = jsonencode([
      for c in data.aws_iam_policy_document.trust.statement[0].condition : c.values
      if c.variable == "token.actions.githubusercontent.com:sub"
    ]) == jsonencode([["repo:mycandidate/mycandidate:environment:staging"]])
    error_message = "staging trusts only the staging environment's subject"
  }
}

run "without_autoscaling_no_scaling_target_is_granted" {
  command = plan

  variables {
    scalable_target_arn = null
  }

  assert {
    condition     = !contains(output.deploy_actions, "application-autoscaling:RegisterScalableTarget") && sort(flatten(data.aws_iam_policy_document.deploy.statement[*].actions)) == output.deploy_actions
    error_message = "the output lists what the policy grants"
  }
}

run "prod_may_pull_the_tested_image_from_staging" {
  command = plan

  variables {
    promotion_source_repository_arns = ["arn:aws:ecr:af-south-1:111111111111:repository/mycandidate-staging"]
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.deploy.statement : s.resources if s.sid == "PullPromotedImages"]) == toset([
      "arn:aws:ecr:af-south-1:111111111111:repository/mycandidate-staging",
    ])
    error_message = "promotion pulls only from the named repository"
  }

  assert {
    condition     = sort(flatten(data.aws_iam_policy_document.deploy.statement[*].actions)) == sort(flatten(values(local.granted_actions)))
    error_message = "the policy grants exactly the listed groups"
  }
}
