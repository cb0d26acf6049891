Feature: Request errors
  Every error answer has one JSON shape: {"statusCode", "message", "error"}.
  "statusCode" repeats the HTTP status, "error" is its reason phrase, and
  "message" is a sentence, or a list of sentences when the request failed
  validation. A request body must be JSON (Content-Type: application/json)
  of at most 512 KB. A bad request is a client error, never a server error.

  @destructive
  Scenario Outline: A body that is not declared as JSON is refused with 415 (<operation>)
    Given <file>
    When I <operation> with the Content-Type "text/plain"
    Then the response status is 415
    And the answer is an error in the documented format
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | link "A" to a new external ID | a file "A" without an external ID |
      | upload a file as "N"          | a file "A"                        |

  @destructive
  Scenario Outline: A body over 512 KB is refused with 413 (<operation>)
    Given <file>
    When I <operation> with a body of 600 KB
    Then the response status is 413
    And the answer is an error in the documented format
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | link "A" to a new external ID | a file "A" without an external ID |
      | upload a file as "N"          | a file "A"                        |

  @destructive @inferred
  Scenario: Malformed JSON is refused with 400 and a message
    # A body that is not JSON never reaches validation: a NestJS server's body
    # parser answers message as one string, a server that validates the raw
    # body as a list. Both are faithful readings of the docs.
    Given a file "A" without an external ID
    When I link "A" with the body {"externalId":
    Then the response status is 400
    And the error message is a string or a list
    And the request had no effect

  @destructive @inferred
  Scenario Outline: An upload whose url is <problem> is refused with 400 and a list of messages
    When I upload with the body <body>
    Then the response status is 400
    And the error message is a list

    Examples:
      | problem      | body                   |
      | missing      | {}                     |
      | not a URL    | {"url":"not a url"}    |
      | not a string | {"url":42}             |

  @inferred
  Scenario Outline: An id that is not a number is refused with 400 (<method> <path>)
    When I send <method> to "<path>"
    Then the response status is 400
    And the answer is an error in the documented format

    Examples:
      | method | path       |
      | GET    | /media/abc |

    @destructive
    Examples:
      | method | path            |
      | DELETE | /media/abc      |
      | POST   | /media/abc/link |
      | DELETE | /media/abc/link |

  Scenario Outline: A route that does not exist answers 404 in the error format (<method> <path>)
    When I send <method> to "<path>"
    Then the response status is 404
    And the answer is an error in the documented format

    Examples:
      | method | path                    |
      | GET    | /no-such-route          |
      | GET    | /media/1/no-such-action |
