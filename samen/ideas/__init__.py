"""Ideas in think tanks: post, discuss, support, decide, moderate."""
