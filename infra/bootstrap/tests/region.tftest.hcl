# The opt-in region check, planned against mocked providers.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

mock_provider "aws" {
  alias = "lookup"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
}

run "a_disabled_opt_in_region_stops_the_plan" {
  command = plan

  override_data {
    target = data.aws_regions.enabled
    values = { names = ["us-east-1", "eu-west-1"] }
  }

  expect_failures = [data.aws_regions.enabled]
}

run "an_enabled_region_passes_and_names_the_bucket_after_the_account" {
  command = plan

  override_data {
    target = data.aws_regions.enabled
    values = { names = ["us-east-1", "af-south-1"] }
  }

  assert {
    condition     = module.state.name == "mycandidate-terraform-state-111111111111"
    error_message = "the state bucket carries the account id"
  }
}
