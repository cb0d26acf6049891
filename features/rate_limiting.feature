Feature: Rate limits
  Each key may make 300 requests a minute. Every answer tells where the key
  stands: X-RateLimit-Limit (the allowance), X-RateLimit-Remaining (what is
  left of it) and X-RateLimit-Reset (when the window resets: a Unix time,
  or, a reading the harness also accepts, seconds until then). Over the
  limit the API answers 429 in the error format until the window resets.

  The contract check already looks for the three headers on every answer of
  every scenario, and the steps check what they say on every answer they
  send: Remaining never over Limit and counting down within a window, Reset
  within one window (a minute) of the answer. The scenarios here watch how
  they change.

  The @ratelimit scenario spends a key's whole allowance. It uses the key
  given with --ratelimit-api-key when the run has one (the embedded server
  has one, with a small allowance), else the primary key; other scenarios
  using that key at the same time then wait out a 429 and are slowed, not
  failed. Without a key of its own, run it alone to avoid that
  (--tags "@ratelimit" --concurrency 1). It sends at most --ratelimit-budget
  requests (default 1000), one after another; against a target that
  advertises a larger limit it is skipped, with the reason, before it sends
  any. Answers naming one window (the same Unix X-RateLimit-Reset) beyond
  its X-RateLimit-Limit, none a 429, fail it at once.

  Scenario: X-RateLimit-Remaining counts down as requests are made
    Given a file "Z" that does not exist
    When I get "Z" by id 3 times
    Then every answer carries the rate-limit headers
    And X-RateLimit-Limit is the same in every answer
    And X-RateLimit-Remaining goes down with every answer in the same window

  @ratelimit @slow
  Scenario: Over the limit the API answers 429 until the window resets
    Given a file "Z" that does not exist
    When I get "Z" by id with the rate-limit key until the API answers 429
    Then the response status is 429
    And the answer is an error in the documented format
    And the answer says when the limit resets
    And the rate-limit key is answered again once the limit has reset
