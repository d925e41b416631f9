namespace ChatDemo.Web.Accounts;

/// <summary>
/// The <c>check</c> a refused provider token names in its 401 problem (protocol.md section 1.1):
/// which of the validations failed, so that a client or an operator knows what to fix.
/// </summary>
public static class TokenChecks
{
    public const string Authorization = "authorization";
    public const string NotConfigured = "not_configured";
    public const string Malformed = "malformed";
    public const string Algorithm = "algorithm";
    public const string Signature = "signature";
    public const string Key = "key";
    public const string Issuer = "issuer";
    public const string Audience = "audience";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string Lifetime = "lifetime";
    public const string Subject = "subject";
    public const string Invalid = "invalid";
}
