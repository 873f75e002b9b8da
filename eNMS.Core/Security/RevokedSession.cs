namespace eNMS.Core.Security;

/// <summary>A sign-in session ended by its user: the cookie that carries this id is refused from then on, on every
/// node, even though it is still signed and unexpired. Kept until the cookie would have expired anyway.</summary>
public sealed class RevokedSession
{
    /// <summary>The random id given to the session at sign-in (the cookie's session claim).</summary>
    public required string Id { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
