namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>Who acts in a cell of the access matrix (protocol.md section 11).</summary>
public enum Actor
{
    Outsider,
    GuestMember,
    SignedInMember,
    Moderator,
    Owner,
    Administrator,
}

/// <summary>What an actor tries in a cell of the access matrix.</summary>
public enum Operation
{
    Connect,
    History,
    Presence,
    Send,
    Edit,
    DeleteOthers,
    Invite,
    Remove,
    Mute,
    Kick,
    Ban,
    List,
}

/// <summary>
/// The access matrix of protocol.md section 11 in a private room (11.3-11.6): which actor may do
/// what. One table for both hosting modes: the Kestrel matrix asserts it over real HTTP and
/// WebSockets, the AWS-mode matrix through API Gateway events in Lambda mode.
/// </summary>
public static class AccessMatrix
{
    public static bool Allowed(Actor actor, Operation operation) => operation switch
    {
        Operation.Connect or Operation.History or Operation.Presence or Operation.Send or Operation.Edit => actor != Actor.Outsider,
        Operation.DeleteOthers or Operation.Invite or Operation.Remove or Operation.Mute or Operation.Kick or Operation.Ban =>
            actor is Actor.Moderator or Actor.Owner or Actor.Administrator,
        // Administrators may open any room, but their list shows only rooms where they hold a role.
        Operation.List => actor is Actor.GuestMember or Actor.SignedInMember or Actor.Moderator or Actor.Owner,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Every cell: actor × operation, with whether it is allowed.</summary>
    public static TheoryData<Actor, Operation, bool> Cells()
    {
        var cells = new TheoryData<Actor, Operation, bool>();
        foreach (var actor in Enum.GetValues<Actor>())
        foreach (var operation in Enum.GetValues<Operation>())
            cells.Add(actor, operation, Allowed(actor, operation));
        return cells;
    }

    /// <summary>
    /// The <c>title</c> of a refused REST call in a private room (11.3, 11.9): an outsider is
    /// refused by the membership check, a member by the endpoint's own rule.
    /// </summary>
    public static string RefusalTitle(Actor actor) => actor == Actor.Outsider ? "Not a member" : "Not allowed";
}
