using Eventuali.Security.Encryption;
using Eventuali.Typed;

namespace EnterpriseFeatures;

// The employee id is the data subject: a pseudonymous id kept in the clear so the subject can be found and erased.
// Personal fields are encrypted with that employee's data key; department and title are not personal.

[EventType("employee-hired")]
public sealed record EmployeeHired(
    [property: DataSubject] string EmployeeId,
    [property: PersonalData] string FullName,
    string Department,
    string Title,
    DateOnly StartDate);

// The salary is personal and not a string: once the employee is erased it reads as null, so the type allows null.
[EventType("salary-changed")]
public sealed record SalaryChanged(
    [property: DataSubject] string EmployeeId,
    [property: PersonalData] decimal? AnnualSalary,
    string Reason);

[EventType("address-changed")]
public sealed record AddressChanged(
    [property: DataSubject] string EmployeeId,
    [property: PersonalData] string Address);

/// <summary>An employee of the HR domain: hired, paid, moved house.</summary>
[StreamCategory("employee")]
public sealed class Employee : Aggregate
{
    public string FullName { get; private set; } = string.Empty;

    public string Department { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public string? Address { get; private set; }

    /// <summary>The current salary; null when it was erased with the employee's key.</summary>
    public decimal? AnnualSalary { get; private set; }

    public int SalaryChanges { get; private set; }

    public static Employee Hire(string id, string fullName, string department, string title, DateOnly start, decimal salary)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(salary);
        var e = new Employee();
        e.Raise(new EmployeeHired(id, fullName, department, title, start));
        e.Raise(new SalaryChanged(id, salary, "starting salary"));
        return e;
    }

    public void ChangeSalary(decimal salary, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(salary);
        Raise(new SalaryChanged(Id, salary, reason));
    }

    public void MoveTo(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        Raise(new AddressChanged(Id, address));
    }

    private void Apply(EmployeeHired e) => (Id, FullName, Department, Title) = (e.EmployeeId, e.FullName, e.Department, e.Title);

    private void Apply(SalaryChanged e)
    {
        AnnualSalary = e.AnnualSalary;
        SalaryChanges++;
    }

    private void Apply(AddressChanged e) => Address = e.Address;
}
