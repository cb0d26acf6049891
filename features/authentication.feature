Feature: Authentication
  Every media operation needs the agency's API key, sent in exactly one of
  two ways: "Authorization: ApiKey <key>" or "X-API-Key: <key>". Both at
  once is a bad request; no key, an unknown key, a suspended agency or an
  agency without CRM each get their documented answer. A refused request
  changes nothing: the file is still there as it was, and a refused upload
  creates no file.

  The operations: get a file by id or by external ID, delete it by id or by
  external ID, link and unlink its external ID, upload a file from a URL,
  and get the status of an upload's job.

  Scenarios with the key of a suspended agency (@suspended) or of an agency
  without CRM (@crm-disabled) need those keys (--suspended-api-key,
  --crm-disabled-api-key); without them they are skipped.

  @destructive
  Scenario Outline: With the key in the Authorization header ("ApiKey" scheme), I can <operation>
    Given <file>
    When I <operation> with the key in the Authorization header
    Then the request succeeded

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive
  Scenario Outline: With the key in the X-API-Key header, I can <operation>
    Given <file>
    When I <operation> with the key in the X-API-Key header
    Then the request succeeded

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive
  Scenario Outline: With the key in both headers, I cannot <operation>
    Given <file>
    When I <operation> with the key in both headers
    Then the response status is 400
    And the error message is "Multiple authentication methods provided"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive
  Scenario Outline: Without a key, I cannot <operation>
    Given <file>
    When I <operation> without a key
    Then the response status is 401
    And the error message is "API key is required"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive
  Scenario Outline: With an unknown key, I cannot <operation>
    Given <file>
    When I <operation> with an unknown key
    Then the response status is 401
    And the error message is "Invalid API key"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive @inferred
  Scenario Outline: With the key under another scheme (Bearer), I cannot <operation>
    Given <file>
    When I <operation> with the key as a Bearer token
    Then the response status is 401
    And the error message is "API key is required" or "Invalid API key"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive @suspended
  Scenario Outline: With a suspended agency's key, I cannot <operation>
    Given <file>
    When I <operation> with the suspended agency's key
    Then the response status is 403
    And the error message is "Agency is suspended"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |

  @destructive @crm-disabled
  Scenario Outline: With the key of an agency without CRM, I cannot <operation>
    Given <file>
    When I <operation> with the CRM-disabled agency's key
    Then the response status is 403
    And the error message is "CRM is not enabled for this agency"
    And the request had no effect

    Examples:
      | operation                     | file                              |
      | get "A" by id                 | a file "A"                        |
      | get "A" by external ID        | a file "A"                        |
      | delete "A" by id              | a file "A"                        |
      | delete "A" by external ID     | a file "A"                        |
      | link "A" to a new external ID | a file "A" without an external ID |
      | unlink "A"                    | a file "A"                        |
      | upload a file as "N"          | a file "A"                        |
      | get the job status of "A"     | a file "A"                        |
