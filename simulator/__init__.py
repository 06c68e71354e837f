"""The CDP side of vendorsim: it talks to the vendors only over HTTP."""
