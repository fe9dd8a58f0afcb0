# Tags are immutable: a release is identified by its tag and digest for good.
resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Drop untagged layers after a week"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest ${var.keep_tagged_images} tagged images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_tagged_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

# ---------------------------------------------------------------- cross-account pulls
# `opsctl promote` copies the exact digest staging tested into prod's registry,
# running as prod's deploy role. The grant names that role's account and
# matches the role by aws:PrincipalArn, so this apply works before the role
# exists in the other account.
data "aws_iam_policy_document" "pull" {
  count = length(var.pull_role_arns) > 0 ? 1 : 0

  statement {
    sid = "PullForPromotion"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "AWS"
      identifiers = distinct([for arn in var.pull_role_arns : "arn:aws:iam::${split(":", arn)[4]}:root"])
    }

    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = var.pull_role_arns
    }
  }
}

resource "aws_ecr_repository_policy" "pull" {
  count = length(var.pull_role_arns) > 0 ? 1 : 0

  repository = aws_ecr_repository.this.name
  policy     = data.aws_iam_policy_document.pull[0].json
}
