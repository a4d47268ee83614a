/** The text `herald help` prints. */
export const USAGE = `Usage: herald <command> [options]

Setup (idempotent; DynamoDB and SQS from the environment or the running local stack):
  setup                            create the tables, the queues and their DLQs, and a signing key

Keys (files in HERALD_KEYS_DIR, default <data dir>/keys):
  keys generate [--dir D]          create a new active signing key; old public keys stay trusted
  keys list [--dir D]              list trusted keys, marking the active one
  keys retire <kid> [--dir D]      stop trusting a key (not the active one)

Tokens (signing key from HERALD_SIGNING_KEY or <keys dir>/signing-key.json):
  token issue --client <id> [--scope a,b] [--ttl 30d] [--json]
                                   print a client token (scopes: notifications:send,
                                   notifications:read, audience:read, audience:write; default
                                   all of them; ttl: 1m..400d, e.g. 15m, 12h, 30d)
  token revoke <jti> [--until ISO] revoke a token by id (default: for 400 days)

Web push:
  vapid generate [--json]          print a new VAPID key pair (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)

Callbacks (secret from HERALD_CALLBACK_SECRET or <keys dir>/callback-secret):
  client secret --client <id>      print the secret that client verifies Herald-Signature with

Client settings (in the table; the api and worker see a change within 30 s):
  client set <id> [--allow-slack-webhooks a,b] [--send-rate N] [--send-burst N]
                  [--read-rate N] [--read-burst N] [--long-polls N] [--recipient-cap N]
                                   change only the options given and print the settings;
                                   a limit of 'default' drops the override, '' allows no webhook
  client show <id>                 print the client's settings as JSON

Notifications (HERALD_API_URL and HERALD_TOKEN; with the local stack running, both are found):
  send --channel email --to a@b [--to c@d] [--cc x] [--bcc y] [--subject S] [--text T] [--html H]
  send --channel sms|whatsapp --to +15005550006 --text T
  send --channel email|sms|whatsapp --recipient <id> ...
                                   send to a recipient's address (resolved by the api)
  send --json <file|->             send a raw notification body
       [--idempotency-key K]       make retries of the same send safe
  status <id> [--wait <seconds>]   show a notification; --wait until Delivered or Refused
  cancel <id>                      cancel a notification whose send has not started
  list [--status S] [--limit N] [--cursor C]

Recipients (through the API, like send; a token with audience:read / audience:write):
  recipients put <id> [--email E] [--phone +E164] [--whatsapp +E164] [--name N] [--locale L]
                 [--timezone Europe/Oslo] [--json file|-] [--if-match ETAG]
                                   create or replace the profile (flags or JSON, not both)
  recipients get <id>              print the profile (its ETag on stderr)
  recipients delete <id>           erase the recipient: profile, devices, preferences
  recipients devices add <id> --json file|-
                                   register a device: {"webPush": …}, {"apns": {"token"}},
                                   {"fcm": {"token"}} or {"snsEndpointArn": …}
  recipients devices list <id>     its devices, newest first
  recipients devices remove <id> <deviceId>
  recipients preferences get <id>  print the preferences ({} when none; ETag on stderr)
  recipients preferences put <id> --json file|- [--if-match ETAG]
                                   replace them: {"channels": {"sms": false}, "topics":
                                   {"<topicId>": {"email": false}}, "quietHours": {"start":
                                   "22:00", "end": "07:00", "timezone": "Europe/Oslo"}}

Topics (through the API; audience:read / audience:write, and notifications:send to send):
  topics create --name N [--description D]
                                   create a topic and print it (its id is a UUID)
  topics list [--limit N] [--cursor C]
  topics get <topicId>             print the topic (its ETag on stderr)
  topics delete <topicId>          delete it and its subscriptions; future sends stop
  topics subscribe <topicId> <recipientId> [--channels email,push]
                                   subscribe (default: every channel the recipient has)
  topics unsubscribe <topicId> <recipientId>
  topics subscribers <topicId> [--limit N] [--cursor C]
  topics send <topicId> --title T [--body B] [--url U] [--channels a,b] [--send-at ISO]
              [--critical] [--idempotency-key K] | --json file|-
                                   send to every subscriber; prints the parent's id

Suppression list (through the API; audience:read to list, audience:write to lift):
  suppressions list [--cursor C]   a page of addresses Herald will not send to again (bounced,
                                   opted out, gone), { items, nextCursor? }
  suppressions delete <address>    lift one: email:a@b, sms:+E164, whatsapp:+E164 or push:<key>

Dead-letter queue (the work queue's DLQ: HERALD_QUEUE_URL or HERALD_QUEUE_NAME, HERALD_DLQ_URL
or the queue's redrive policy; with the local stack running, both are found; --queue bulk:
the bulk queue's DLQ, <work queue>-bulk-dlq, whose messages are topic children):
  dlq list [--queue work|bulk] [--limit N]
                                   one JSON line per message: messageId, notificationId,
                                   receiveCount, sentTimestamp (default 100, at most 1000)
  dlq redrive [--queue work|bulk] --all | <messageId…>
                                   move messages back to the queue whose DLQ it is

Configuration:
  config [--write-readme]          print every environment variable of every deployable (type,
                                   default, meaning) as a markdown table; --write-readme puts
                                   it in ./README.md between its config-reference markers

  help                             show this text

Exit codes: 0 success, 1 failure, 2 usage error.`;
