using Eventuali.Security.Encryption;
using Eventuali.Typed;

namespace EnterpriseFeatures;

// The employee number is the data subject: pseudonymous, kept in the clear so the person can be found and erased.
// Name, email and salary are personal data: stored encrypted with that employee's own data key. After erasure a
// string reads as "[redacted]" and any other value as null, so personal values that are not strings are nullable.
[EventType("employee-hired")]
internal sealed record EmployeeHired([property: DataSubject] string EmployeeNo, [property: PersonalData] string Name, [property: PersonalData] string Email, string Department, [property: PersonalData] decimal? Salary);

[EventType("salary-changed")]
internal sealed record SalaryChanged([property: DataSubject] string EmployeeNo, [property: PersonalData] decimal Salary, string Reason);

[EventType("employee-left")]
internal sealed record EmployeeLeft(string EmployeeNo, DateOnly LastDay);

/// <summary>An employee's record: hired, salary changes, leaving.</summary>
[StreamCategory("employee")]
internal sealed class Employee : Aggregate
{
    public string Name { get; private set; } = "";

    public string Email { get; private set; } = "";

    public string Department { get; private set; } = "";

    public decimal? Salary { get; private set; }

    public bool HasLeft { get; private set; }

    public static Employee Hire(string employeeNo, string name, string email, string department, decimal salary)
    {
        if (salary <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(salary), salary, "A salary must be positive.");
        }

        var employee = new Employee();
        employee.Raise(new EmployeeHired(employeeNo, name, email, department, salary));
        return employee;
    }

    public void ChangeSalary(decimal salary, string reason)
    {
        if (HasLeft)
        {
            throw new InvalidOperationException($"Employee {Id} has left; the salary cannot change.");
        }

        Raise(new SalaryChanged(Id, salary, reason));
    }

    public void Leave(DateOnly lastDay) => Raise(new EmployeeLeft(Id, lastDay));

    private void Apply(EmployeeHired e)
    {
        Id = e.EmployeeNo;
        (Name, Email, Department, Salary) = (e.Name, e.Email, e.Department, e.Salary);
    }

    private void Apply(SalaryChanged e) => Salary = e.Salary;

    private void Apply(EmployeeLeft e) => HasLeft = true;
}
