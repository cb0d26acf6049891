Feature: Following an upload's job
  An upload answers at once with the id of a job that downloads and
  optimizes the file in the background. GET /job/status?id= tells how the
  job stands: "pending", "processing", then "completed" or "failed"
  ("failed_retryable" while a retry is due). A status never goes back,
  except from "failed_retryable" to "processing" for the retry.

  @destructive
  Scenario: The status answer describes the job
    When I upload a file as "A"
    And I get the job status of "A"
    Then the response status is 200
    And the answer describes the job of "A"

  @destructive
  Scenario: The job of an image's upload ends "completed"
    When I upload a file as "A"
    And I follow the job of "A" until it ends
    Then the job of "A" ended in "completed" without going back

  @destructive @inferred
  Scenario: The job of a non-image's upload ends "failed"
    When I upload a non-image as "A"
    And I follow the job of "A" until it ends
    Then the job of "A" ended in "failed" without going back

  @inferred
  Scenario: A job that does not exist is not found
    Given a file "Z" that does not exist
    When I get the job status of "Z"
    Then the response status is 404
    And the answer is an error in the documented format
