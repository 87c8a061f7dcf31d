// Agent CLIs as `grove/agents/list` answers them, for the agent panel's unit tests: the one fixture list (agentClis/agentCliFixtures.ts) under the panel's names.
export { AGENTS, DEFAULT_AGENT as CLAUDE_AGENT, OTHER_AGENT as CODEX_AGENT } from '../agentClis/agentCliFixtures';
