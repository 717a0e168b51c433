namespace TokenVerifier.Tests.Network;

/// <summary>Stands for what a resilience pipeline (Polly's circuit breaker) throws: not an HTTP or I/O exception.</summary>
internal sealed class BrokenCircuitException(string message) : Exception(message);
