namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>The names of the schemes added with <c>AddUserPool</c>, for warm-up and health checks.</summary>
internal sealed class UserPoolSchemes
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Add(string scheme)
    {
        lock (_names)
        {
            if (!_names.Contains(scheme))
            {
                _names.Add(scheme);
            }
        }
    }
}
