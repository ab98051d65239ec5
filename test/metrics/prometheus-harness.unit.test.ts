import { describe, expect, it } from 'vitest';
import { prometheusBinary } from '../harness/prometheus.ts';

describe('Prometheus harness', () => {
  it('fails loudly, saying how to install it, when the prometheus binary is missing', () => {
    expect(() => prometheusBinary('/nonexistent/prometheus')).toThrow(
      /Prometheus is required .* apt-get install -y prometheus/,
    );
  });

  it('finds the installed prometheus', () => {
    expect(prometheusBinary()).toBe('prometheus');
  });
});
