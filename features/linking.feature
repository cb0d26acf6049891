Feature: Linking and unlinking external IDs
  An external ID is the agency's own name for a file, such as
  "apt-001-photo-1": one to 255 characters, unique among the agency's files.
  A file has at most one. To change it, unlink the old one first; unlinking
  answers with the ID it removed. Another agency may use the same external
  ID for a file of its own.

  Unique means unique whatever the way in: an upload that names an external
  ID another file has makes no second file with it (concurrency.feature
  races two links of one ID).

  @destructive
  Scenario: A file is linked to an external ID and read back by it
    Given a ready file "A" without an external ID
    When I link "A" to a new external ID
    Then the request succeeded
    And the answer confirms "A" is linked to its external ID
    And "A" can be read by its external ID

  @destructive
  Scenario: Unlinking answers with the external ID it removed
    Given a ready file "A"
    When I unlink "A"
    Then the request succeeded
    And the answer names the external ID removed from "A"

  @destructive @inferred
  Scenario: An unlinked external ID no longer finds the file and can be linked to another
    Given a ready file "A"
    And a ready file "B" without an external ID
    When I unlink "A"
    Then the request succeeded
    And "A" cannot be read by its former external ID
    And "A" has no external ID
    When I link "B" to the former external ID of "A"
    Then the request succeeded
    And "B" can be read by its external ID

  @destructive @inferred
  Scenario: An external ID that another file uses is refused with 409
    Given a ready file "A"
    And a ready file "B" without an external ID
    When I link "B" to the external ID of "A"
    Then the response status is 409
    And the error message is "External ID already linked"
    And the request had no effect

  @destructive @inferred
  Scenario: An upload with an external ID another file uses makes no second file with it
    Given a ready file "A"
    When I upload a file as "N" with the external ID of "A"
    Then the upload is refused with 409 "External ID already linked", or answers with "A"
    And "A" can be read by its external ID

  @destructive @inferred
  Scenario Outline: A file that has an external ID refuses <other> with 409
    Given a ready file "A"
    When I link "A" to <other>
    Then the response status is 409
    And the error message is "File already has external ID"
    And the request had no effect

    Examples:
      | other                  |
      | a new external ID      |
      | the external ID of "A" |

  @destructive @inferred
  Scenario: Unlinking a file that has no external ID is refused as a client error
    Given a ready file "A" without an external ID
    When I unlink "A"
    Then the response status is a client error
    And the request had no effect

  @destructive @inferred
  Scenario Outline: A link whose externalId is <problem> is refused with 400 and a list of messages
    Given a ready file "A" without an external ID
    When I link "A" with the body <body>
    Then the response status is 400
    And the error message is a list
    And the request had no effect

    Examples:
      | problem      | body                |
      | missing      | {}                  |
      | null         | {"externalId":null} |
      | empty        | {"externalId":""}   |
      | not a string | {"externalId":123}  |

  @destructive @inferred
  Scenario: An external ID of 256 characters is refused with 400 and a list of messages
    Given a ready file "A" without an external ID
    When I link "A" to a new external ID of 256 characters
    Then the response status is 400
    And the error message is a list
    And the request had no effect

  @destructive @inferred
  Scenario: An external ID of exactly 255 characters is accepted
    Given a ready file "A" without an external ID
    When I link "A" to a new external ID of 255 characters
    Then the request succeeded
    And the answer confirms "A" is linked to its external ID
    And "A" can be read by its external ID

  @destructive @inferred @isolation
  Scenario: Two agencies may use the same external ID, each for its own file
    Given a ready file "A"
    And a ready file "C" of the other agency without an external ID
    When I link "C" to the external ID of "A"
    Then the request succeeded
    And "C" can be read by its external ID
    And "A" can be read by its external ID
    And "A" is unchanged

  @destructive
  Scenario: Linking or unlinking a file that does not exist finds nothing
    Given a file "Z" that does not exist
    When I link "Z" to a new external ID
    Then the response status is 404
    And the error message is "File not found"
    When I unlink "Z"
    Then the response status is 404
    And the error message is "File not found"
