{
  "targets": [
    {
      "target_name": "splice_relay",
      "conditions": [
        ["OS=='linux'", { "sources": ["native/splice-relay.c"], "cflags": ["-O2", "-Wall", "-Wextra"] }],
        ["OS!='linux'", { "type": "none" }]
      ]
    }
  ]
}
