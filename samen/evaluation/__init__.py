"""The yearly evaluation: figures for a period, the partner pulse, conclusions and decisions, published frozen."""
