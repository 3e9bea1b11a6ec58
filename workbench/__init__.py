"""The workbench: what drives the product from outside and is never imported by it (`server/`,
`agent/`, `kb/`): the demo, the benchmarks, random-weight test models, speech synthesis and the
phone line shared with `tune/` and the tests. `callassist demo|prepare-demo|play|bench|asr
make-test-model` run here in a process of their own (`python -m workbench`)."""
