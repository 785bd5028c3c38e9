package org.geoward.account;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;

/** {@code POST /api/users} and {@code GET /api/users}: accounts, for admins only. */
@Controller("/api/users")
@Secured("ADMIN")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserController {
    private final AccountService accounts;

    UserController(AccountService accounts) {
        this.accounts = accounts;
    }

    /** Creates an account: 201 with the account (never the password). */
    @Post
    HttpResponse<Account> create(@Body UserDraft draft) {
        return HttpResponse.status(HttpStatus.CREATED).body(accounts.create(draft));
    }

    @Get
    List<Account> list() {
        return accounts.list(null);
    }
}
