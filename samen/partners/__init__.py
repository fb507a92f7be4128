"""The partner network: organisations in a register, their contact people, and the actions they carry out."""
