"""The district: its settings, the policy's parameters, and its schools and sites."""
